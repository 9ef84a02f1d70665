package dev.corpusforge.core.output;

import dev.corpusforge.schemas.Reject;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Count;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Sum;
import org.apache.beam.sdk.transforms.Top;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionList;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * The record-accounting check: every distinct input id must end exactly once, as a kept record or
 * as a reject, and nothing may appear that was not read. Emits {@code accounting} stats lines: the
 * totals, and per violation kind ({@code missing}, {@code duplicated}, {@code unknown}, {@code
 * duplicate_input}) a count and up to 50 example ids. No violation line means the books balance.
 */
public final class Accounting extends PTransform<PCollection<String>, PCollection<String>> {
  static final int EXAMPLES = 50;

  /** Each role an id is tagged with, and the total it counts towards. */
  private static final Map<String, String> TOTALS =
      Map.of("in", "inputs", "kept", "kept", "rejected", "rejected");

  private final PCollection<String> keptIds;
  private final PCollection<Reject> rejects;

  private Accounting(PCollection<String> keptIds, PCollection<Reject> rejects) {
    this.keptIds = keptIds;
    this.rejects = rejects;
  }

  /** Applied to the input ids; {@code keptIds} are the input ids the kept records derive from. */
  public static Accounting of(PCollection<String> keptIds, PCollection<Reject> rejects) {
    return new Accounting(keptIds, rejects);
  }

  @Override
  public PCollection<String> expand(PCollection<String> inputIds) {
    KvCoder<String, String> coder = KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of());
    PCollection<KV<String, String>> in =
        inputIds
            .apply(
                "Tag inputs",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                    .via(id -> KV.of(id, "in")))
            .setCoder(coder);
    PCollection<KV<String, String>> kept =
        keptIds
            .apply(
                "Tag kept",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                    .via(id -> KV.of(id, "kept")))
            .setCoder(coder);
    PCollection<KV<String, String>> rejected =
        rejects
            .apply(
                "Tag rejects",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
                    .via(r -> KV.of(r.getSampleId(), "rejected")))
            .setCoder(coder);
    PCollection<KV<String, String>> allIds =
        PCollectionList.of(List.of(in, kept, rejected)).apply("All ids", Flatten.pCollections());
    PCollection<KV<String, String>> violations =
        allIds
            .apply("Group by id", GroupByKey.create())
            .apply("Check each id", ParDo.of(new CheckFn()))
            .setCoder(coder);
    PCollection<String> counts =
        violations
            .apply("Count violations", Count.perKey())
            .apply(
                "Format counts",
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        kv ->
                            StatsLines.line("accounting")
                                .put("violation", kv.getKey())
                                .put("count", kv.getValue())
                                .toString()));
    PCollection<String> examples =
        violations
            .apply("Example ids", Top.smallestPerKey(EXAMPLES))
            .apply(
                "Format examples",
                MapElements.into(TypeDescriptors.strings())
                    .via(
                        kv -> {
                          var line =
                              StatsLines.line("accounting_examples").put("violation", kv.getKey());
                          var ids = line.putArray("ids");
                          kv.getValue().forEach(ids::add);
                          return line.toString();
                        }));
    // the three totals in one combine, each starting from a zero so that none is ever missing
    KvCoder<String, Long> tally = KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of());
    PCollection<KV<String, Long>> ones =
        allIds
            .apply(
                "Tally each role",
                MapElements.into(
                        TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.longs()))
                    .via(kv -> KV.of(TOTALS.get(kv.getValue()), 1L)))
            .setCoder(tally);
    PCollection<KV<String, Long>> zeros =
        inputIds
            .getPipeline()
            .apply(
                "Zero totals",
                Create.of(TOTALS.values().stream().map(name -> KV.of(name, 0L)).toList())
                    .withCoder(tally));
    PCollection<String> totals =
        PCollectionList.of(ones)
            .and(zeros)
            .apply("Tallies", Flatten.pCollections())
            .apply("Totals", Sum.longsPerKey())
            .apply(
                "Total lines",
                MapElements.into(TypeDescriptors.strings())
                    .via(kv -> StatsLines.count(kv.getKey(), kv.getValue())));
    return PCollectionList.of(List.of(counts, examples, totals))
        .apply("Accounting lines", Flatten.pCollections());
  }

  static final class CheckFn extends DoFn<KV<String, Iterable<String>>, KV<String, String>> {
    @ProcessElement
    public void process(
        @Element KV<String, Iterable<String>> id, OutputReceiver<KV<String, String>> out) {
      int in = 0;
      int ends = 0;
      for (String role : id.getValue()) {
        if (role.equals("in")) {
          in++;
        } else {
          ends++;
        }
      }
      if (in == 0) {
        out.output(KV.of("unknown", id.getKey()));
      } else if (in > 1) {
        out.output(KV.of("duplicate_input", id.getKey()));
      } else if (ends == 0) {
        out.output(KV.of("missing", id.getKey()));
      } else if (ends > 1) {
        out.output(KV.of("duplicated", id.getKey()));
      }
    }
  }
}
