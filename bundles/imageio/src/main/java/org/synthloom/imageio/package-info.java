/**
 * Image decoding, encoding and resizing for datasets, shards and generators: every image that
 * enters Synthloom passes through here and comes out as {@link org.synthloom.api.data.ImagePixels}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.synthloom.imageio;
