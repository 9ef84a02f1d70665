package dev.corpusforge.pipelines.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.corpusforge.core.output.StatsLines;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * The run's Beam metrics for the manifest: counters summed and distributions (count, min, max,
 * mean) merged over every step that reported them, keyed {@code namespace/name} — for example
 * {@code score/batch_size} or {@code score/items_per_second}. Empty when the runner cannot report
 * metrics.
 */
final class RunMetrics {
  private RunMetrics() {}

  static ObjectNode toJson(PipelineResult result) {
    ObjectNode out = StatsLines.JSON.createObjectNode();
    MetricQueryResults metrics;
    try {
      metrics = result.metrics().queryMetrics(MetricsFilter.builder().build());
    } catch (RuntimeException e) {
      return out;
    }
    Map<String, Long> counters = new TreeMap<>();
    for (MetricResult<Long> c : metrics.getCounters()) {
      counters.merge(c.getName().getNamespace() + "/" + c.getName().getName(), value(c), Long::sum);
    }
    Map<String, DistributionResult> distributions = new TreeMap<>();
    for (MetricResult<DistributionResult> d : metrics.getDistributions()) {
      DistributionResult v = value(d);
      distributions.merge(
          d.getName().getNamespace() + "/" + d.getName().getName(),
          v,
          (a, b) ->
              DistributionResult.create(
                  a.getSum() + b.getSum(),
                  a.getCount() + b.getCount(),
                  Math.min(a.getMin(), b.getMin()),
                  Math.max(a.getMax(), b.getMax())));
    }
    ObjectNode c = out.putObject("counters");
    counters.forEach(c::put);
    ObjectNode ds = out.putObject("distributions");
    distributions.forEach(
        (name, d) -> {
          if (d.getCount() > 0) {
            ds.putObject(name)
                .put("count", d.getCount())
                .put("min", d.getMin())
                .put("max", d.getMax())
                .put("mean", Math.round(d.getMean() * 100) / 100.0);
          }
        });
    return out;
  }

  /** A metric's committed value where the runner has one, else its attempted value. */
  static <T> T value(MetricResult<T> r) {
    try {
      return r.getCommitted();
    } catch (UnsupportedOperationException e) {
      return r.getAttempted();
    }
  }
}
