// Tests write_hdf5 -> read_hdf5 round trips, the on-disk storage choices, group naming and reader rejections.
#include <hdf5.h>

#include <fstream>

#include "core/error.hpp"
#include "output/hdf5_writer.hpp"
#include "sample_run_output.hpp"

namespace imersim {
namespace {

using test::ScratchDir;

TEST(Hdf5RoundTrip, SampleReadsBackEqual) {
  ScratchDir dir("round_trip");
  const RunOutput written = test::sample_run_output();
  write_hdf5(dir / "run.h5", written);
  const RunOutput read = read_hdf5(dir / "run.h5");
  test::expect_same_output(written, read);
  EXPECT_EQ(read.attributes.count("format"), 0U) << "the layout tag is not a caller attribute";
}

TEST(Hdf5RoundTrip, WithoutSnapshotsOrReplicates) {
  ScratchDir dir("round_trip_bare");
  RunOutput written = test::sample_run_output();
  written.snapshots.clear();
  write_hdf5(dir / "no_snapshot.h5", written);
  test::expect_same_output(written, read_hdf5(dir / "no_snapshot.h5"));

  const RunOutput empty;
  write_hdf5(dir / "empty.h5", empty);
  test::expect_same_output(empty, read_hdf5(dir / "empty.h5"));
}

TEST(Hdf5RoundTrip, ManyReplicatesKeepTheirOrder) {
  ScratchDir dir("round_trip_many");
  RunOutput written;
  for (std::int64_t r = 0; r < 1001; ++r) {
    Dataset d{"population", {1}, {"month"}, "agent", "one value", true, {r}, {}};
    written.replicates.push_back({d});
  }
  write_hdf5(dir / "many.h5", written);
  const RunOutput read = read_hdf5(dir / "many.h5");
  ASSERT_EQ(read.replicates.size(), 1001U);
  for (std::size_t r = 0; r < read.replicates.size(); ++r) {
    ASSERT_EQ(read.replicates[r].size(), 1U);
    EXPECT_EQ(read.replicates[r][0].ints, std::vector<std::int64_t>{static_cast<std::int64_t>(r)});
  }
}

TEST(Hdf5RoundTrip, ReplicateGroupNamesArePaddedToSortInOrder) {
  EXPECT_EQ(replicate_group_name(0, 1), "replicate_000");
  EXPECT_EQ(replicate_group_name(7, 20), "replicate_007");
  EXPECT_EQ(replicate_group_name(999, 1000), "replicate_999");
  EXPECT_EQ(replicate_group_name(5, 1001), "replicate_0005");
  EXPECT_EQ(replicate_group_name(1000, 1001), "replicate_1000");
  EXPECT_EQ(replicate_group_name(12345, 20000), "replicate_12345");
}

/// Layout, filter count and on-disk type of one dataset, read with the C API.
struct Storage {
  H5D_layout_t layout = H5D_LAYOUT_ERROR;
  int filters = -1;
  htri_t type_matches = -1;
};

Storage storage_of(const std::filesystem::path& file, const std::string& dataset, hid_t expected_type) {
  Storage s;
  const hid_t f = H5Fopen(file.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  const hid_t d = H5Dopen2(f, dataset.c_str(), H5P_DEFAULT);
  const hid_t dcpl = H5Dget_create_plist(d);
  const hid_t type = H5Dget_type(d);
  s.layout = H5Pget_layout(dcpl);
  s.filters = H5Pget_nfilters(dcpl);
  s.type_matches = H5Tequal(type, expected_type);
  H5Tclose(type);
  H5Pclose(dcpl);
  H5Dclose(d);
  H5Fclose(f);
  return s;
}

TEST(Hdf5RoundTrip, LargeDatasetsAreCompressedSmallOnesContiguous) {
  ScratchDir dir("storage");
  write_hdf5(dir / "run.h5", test::sample_run_output());
  const bool deflate = H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0;

  const Storage big_real = storage_of(dir / "run.h5", "/replicate_000/big_real", H5T_IEEE_F64LE);
  EXPECT_EQ(big_real.layout, deflate ? H5D_CHUNKED : H5D_CONTIGUOUS);
  EXPECT_EQ(big_real.filters, deflate ? 2 : 0) << "shuffle + deflate";
  EXPECT_GT(big_real.type_matches, 0) << "float64 little-endian on disk";

  const Storage big_int = storage_of(dir / "run.h5", "/replicate_001/big_int", H5T_STD_I64LE);
  EXPECT_EQ(big_int.layout, deflate ? H5D_CHUNKED : H5D_CONTIGUOUS);
  EXPECT_GT(big_int.type_matches, 0) << "int64 little-endian on disk";

  const Storage small = storage_of(dir / "run.h5", "/replicate_000/stage_counts", H5T_STD_I64LE);
  EXPECT_EQ(small.layout, H5D_CONTIGUOUS);
  EXPECT_EQ(small.filters, 0);
  EXPECT_GT(small.type_matches, 0);

  const Storage empty = storage_of(dir / "run.h5", "/replicate_000/exits", H5T_STD_I64LE);
  EXPECT_EQ(empty.layout, H5D_CONTIGUOUS);
}

TEST(Hdf5Reader, MissingFileIsAnIoError) {
  ScratchDir dir("reader_missing");
  try {
    read_hdf5(dir / "absent.h5");
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("absent.h5"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no such file"), std::string::npos) << e.what();
    EXPECT_FALSE(e.resolution().empty());
  }
}

TEST(Hdf5Reader, TextFileIsAnIoError) {
  ScratchDir dir("reader_text");
  std::ofstream(dir / "notes.h5") << "not hdf5\n";
  try {
    read_hdf5(dir / "notes.h5");
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("not an HDF5 file"), std::string::npos) << e.what();
  }
}

TEST(Hdf5Reader, FileWithoutFormatAttributeIsAnIoError) {
  ScratchDir dir("reader_foreign");
  const auto path = dir / "foreign.h5";
  const hid_t f = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  ASSERT_GE(f, 0);
  H5Fclose(f);
  try {
    read_hdf5(path);
    FAIL() << "expected IoError";
  } catch (const IoError& e) {
    EXPECT_NE(std::string(e.what()).find("foreign.h5"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("no root attribute 'format'"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace imersim
