/**
 * Testing a Skiff service: {@link dev.skiff.testing.SkiffExtension} runs it in the test's JVM on a
 * free port with settings of the test's own and captures its log events;
 * {@link dev.skiff.testing.AppProcess} runs the packaged jar as a child JVM to send it real signals.
 */
package dev.skiff.testing;
