/**
 * Conformance suites: one abstract JUnit 5 class per plugin kind that checks a component honours
 * the contract of its SPI interface. A plugin's test extends the suite of its kind and returns the
 * component; the inherited tests run on it outside OSGi.
 *
 * <pre>{@code
 * class MyCaptionsConformanceTest extends CaptionGeneratorConformance {
 *     @Override
 *     protected CaptionGenerator generator() {
 *         return new MyCaptions(Configs.defaults(MyConfig.class));
 *     }
 * }
 * }</pre>
 *
 * <p>Each suite has protected methods with sensible defaults (the concepts asked for, the data
 * shapes, the inputs given to an objective) that a test overrides when its plugin needs other
 * input. A suite only checks the contract; a plugin's own tests check what it computes.
 */
package org.synthloom.testkit.conformance;
