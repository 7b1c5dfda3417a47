/**
 * JMH benchmarks of bgservice, one class per concern, each with a raw baseline measured in the
 * same run: {@link dev.bgservice.benchmarks.CodecBenchmark the wire codec}, {@link
 * dev.bgservice.benchmarks.RoundTripBenchmark a request round trip}, {@link
 * dev.bgservice.benchmarks.EventFanOutBenchmark the event stream to 1 and 16 clients} and {@link
 * dev.bgservice.benchmarks.LifecycleBenchmark a service's start and stop}. Run them from {@code
 * target/benchmarks.jar}; see the module's README.
 */
package dev.bgservice.benchmarks;
