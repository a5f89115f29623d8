/**
 * NumPy's {@code .npy} format (versions 1.0, 2.0 and 3.0), the way VQ token grids and embeddings
 * travel in WebDataset shards: readable with {@code numpy.load}, and arrays written by
 * {@code numpy.save} are readable here.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.synthloom.store.npy;
