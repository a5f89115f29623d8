/**
 * Image-text samples and the streams that carry them.
 *
 * <p>A {@link org.synthloom.api.data.Sample} is one image (as pixels, VQ tokens and/or an
 * embedding) with one or more captions, optional labels and its
 * {@link org.synthloom.api.data.Provenance}: human-annotated or synthetic, and if synthetic, which
 * generator made it with which seed. Datasets open {@link org.synthloom.api.data.SampleSource}s;
 * stages write to {@link org.synthloom.api.data.SampleSink}s.
 *
 * <p>Value types here are immutable. Their array accessors return the backing array without a
 * copy, so that large images and token grids cross stage boundaries for free: callers must not
 * modify them.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.synthloom.api.data;
