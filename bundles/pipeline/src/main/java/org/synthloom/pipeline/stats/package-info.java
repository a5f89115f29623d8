/**
 * Diversity statistics of generated captions, for any caption generator's output: distinct-n
 * (distinct n-grams over all n-grams of the set), captions per concept, mean length and the
 * duplicate rate. Pure functions over text; nothing here calls a generator.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.synthloom.pipeline.stats;
