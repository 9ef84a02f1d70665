package dev.corpusforge.filters.language;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.internal.TrainingDataLanguageModel;
import com.squareup.moshi.JsonReader;
import it.unimi.dsi.fastutil.floats.FloatArrayList;
import it.unimi.dsi.fastutil.objects.AbstractObject2FloatMap;
import it.unimi.dsi.fastutil.objects.Object2FloatMap;
import it.unimi.dsi.fastutil.objects.Object2FloatOpenHashMap;
import it.unimi.dsi.fastutil.objects.ObjectSet;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import okio.Okio;

/**
 * Lingua with its own language models held compactly: ~16 bytes an n-gram instead of ~60, read from
 * Lingua's own model files with Lingua's JSON reader, so every probability is the one Lingua would
 * use and every detection is the same.
 *
 * <p>Lingua looks n-grams up in five static maps (one per n-gram length) from language to model,
 * and loads a model from its JSON file on the first lookup that finds none. {@link #install} puts a
 * lazily loaded {@link PackedNgramTable} there for every language and length first; Lingua then
 * uses it as its own. A model loads on its first lookup, as Lingua's do, so a run pays only for the
 * languages its texts call for. A model whose alphabet were too large to pack would be read by
 * Lingua itself, into its own kind of map; every file of the pinned Lingua packs.
 *
 * <p>Lingua's maps are internal to it: {@code LanguageDetector.Companion}'s accessors, public in
 * the bytecode under names with {@code $lingua}. {@code CompactLinguaModelsTest} checks them
 * against the pinned Lingua.
 */
final class CompactLinguaModels {
  private static final String[] FILE_NAMES = {
    "unigrams", "bigrams", "trigrams", "quadrigrams", "fivegrams"
  };

  private CompactLinguaModels() {}

  /**
   * Puts a compact model for every language and n-gram length into Lingua's maps where they hold
   * none; a model already there (Lingua's own, or one put before) stays. Does nothing and returns
   * false when Lingua comes from another class loader than this class: on a Flink cluster that
   * loads Lingua from its {@code lib/} folder, its models are shared by every job, and a job's
   * classes must not be left in them when the job ends.
   */
  static boolean install() {
    if (LanguageDetector.class.getClassLoader() != CompactLinguaModels.class.getClassLoader()) {
      return false;
    }
    for (int length = 1; length <= FILE_NAMES.length; length++) {
      EnumMap<Language, Object2FloatMap<String>> models = linguaModelsOf(length);
      synchronized (models) {
        for (Language language : Language.values()) {
          if (language != Language.UNKNOWN) {
            int n = length;
            models.computeIfAbsent(language, l -> new LazyModel(l, n));
          }
        }
      }
    }
    return true;
  }

  /** Lingua's static map from language to the model of n-grams of {@code length} chars. */
  private static EnumMap<Language, Object2FloatMap<String>> linguaModelsOf(int length) {
    LanguageDetector.Companion lingua = LanguageDetector.Companion;
    return switch (length) {
      case 1 -> lingua.getUnigramLanguageModels$lingua();
      case 2 -> lingua.getBigramLanguageModels$lingua();
      case 3 -> lingua.getTrigramLanguageModels$lingua();
      case 4 -> lingua.getQuadrigramLanguageModels$lingua();
      case 5 -> lingua.getFivegramLanguageModels$lingua();
      default -> throw new IllegalArgumentException("no Lingua model of " + length + "-grams");
    };
  }

  /** Packed models kept between runs, or none (turned off, or no Lingua jar to key them). */
  private static final Optional<PackedModelCache> CACHE = PackedModelCache.fromEnvironment();

  /**
   * Lingua's model of {@code language}'s n-grams of {@code length} chars: a packed table (from the
   * {@link PackedModelCache} when it holds a sound copy), or Lingua's own kind of map when the
   * alphabet does not pack. An empty model when Lingua has no such file, as Lingua does.
   */
  static Object2FloatMap<String> read(Language language, int length) {
    return read(language, length, CACHE);
  }

  static Object2FloatMap<String> read(
      Language language, int length, Optional<PackedModelCache> cache) {
    String path =
        "/language-models/" + language.getIsoCode639_1() + "/" + FILE_NAMES[length - 1] + ".json";
    if (Language.class.getResource(path) == null) {
      return new Object2FloatOpenHashMap<>();
    }
    Supplier<Optional<PackedNgramTable>> pack = () -> pack(path, length);
    Optional<PackedNgramTable> packed =
        cache.isPresent() ? cache.get().table(language, length, pack) : pack.get();
    return packed.isPresent() ? packed.get() : linguasOwn(path);
  }

  /** Reads Lingua's model file at {@code path} and packs it; empty when its alphabet does not. */
  private static Optional<PackedNgramTable> pack(String path, int length) {
    List<String> groups = new ArrayList<>();
    FloatArrayList probabilities = new FloatArrayList();
    try (InputStream in = Language.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IOException("no such resource");
      }
      try (JsonReader reader = JsonReader.of(Okio.buffer(Okio.source(in)))) {
        reader.beginObject();
        while (reader.hasNext()) {
          String name = reader.nextName();
          if (name.equals("language")) {
            reader.skipValue();
          } else if (name.equals("ngrams")) {
            reader.beginObject();
            while (reader.hasNext()) {
              probabilities.add(probability(reader.nextName()));
              groups.add(reader.nextString());
            }
            reader.endObject();
          } else {
            throw new IOException("unexpected name '" + name + "' in Lingua's " + path);
          }
        }
        reader.endObject();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Lingua's " + path, e);
    }
    return PackedNgramTable.of(length, groups, probabilities.toFloatArray());
  }

  /**
   * The model as Lingua itself reads it, for a file whose alphabet does not pack (none of the
   * pinned Lingua's 327 files: this is for another Lingua's).
   */
  private static Object2FloatMap<String> linguasOwn(String path) {
    try (InputStream in = Language.class.getResourceAsStream(path)) {
      return TrainingDataLanguageModel.Companion.fromJson(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read Lingua's " + path, e);
    }
  }

  /** A model file's key, {@code "numerator/denominator"}, as Lingua turns it into a float. */
  private static float probability(String fraction) {
    int slash = fraction.indexOf('/');
    return Float.parseFloat(fraction.substring(0, slash))
        / (float) Integer.parseInt(fraction.substring(slash + 1));
  }

  /** A model that reads itself on its first lookup; Lingua sees an ordinary map. */
  static final class LazyModel extends AbstractObject2FloatMap<String> {
    private final Language language;
    private final int length;
    private volatile Object2FloatMap<String> model;

    LazyModel(Language language, int length) {
      this.language = language;
      this.length = length;
    }

    Object2FloatMap<String> model() {
      Object2FloatMap<String> m = model;
      if (m == null) {
        synchronized (this) {
          m = model;
          if (m == null) {
            m = read(language, length);
            model = m;
          }
        }
      }
      return m;
    }

    @Override
    public float getFloat(Object ngram) {
      return model().getFloat(ngram);
    }

    @Override
    public boolean containsKey(Object ngram) {
      return model().containsKey(ngram);
    }

    @Override
    public int size() {
      return model().size();
    }

    @Override
    public ObjectSet<Object2FloatMap.Entry<String>> object2FloatEntrySet() {
      return model().object2FloatEntrySet();
    }
  }
}
