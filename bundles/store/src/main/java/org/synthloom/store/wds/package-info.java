/**
 * Samples as WebDataset shards: POSIX tar files in which the members of one sample share a key
 * ({@code key.png}, {@code key.txt}, {@code key.json}, {@code key.npy}), the format OpenCLIP,
 * img2dataset and the Python {@code webdataset} library read and write.
 *
 * <p>Reading is two-staged. Shard readers, the shuffle buffer and the weighted mixer pass
 * {@link org.synthloom.store.wds.RawSample}s along (members as bytes, undecoded), so that skipping
 * to a resume position and shuffling cost no image decoding; {@link org.synthloom.store.wds.SampleCodec}
 * decodes a raw sample into a {@link org.synthloom.api.data.Sample} where and when it is needed,
 * typically on data-loader threads. Input that cannot be used (corrupt images, truncated tars,
 * entries whose names escape the shard) is skipped and recorded in a
 * {@link org.synthloom.store.wds.ProblemLog}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.synthloom.store.wds;
