/**
 * Runs Synthloom plugin components in plain JUnit tests, outside OSGi: {@link org.synthloom.testkit.Configs}
 * builds a component's configuration annotation as Declarative Services would, and
 * {@link org.synthloom.testkit.ClasspathDevices} is the device service over the PyTorch engine on
 * the test class path (CPU), offline.
 */
package org.synthloom.testkit;
