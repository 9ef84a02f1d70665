package dev.corpusforge.filters.language;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.pemistahl.lingua.api.Language;
import com.github.pemistahl.lingua.api.LanguageDetector;
import com.github.pemistahl.lingua.api.LanguageDetectorBuilder;
import com.github.pemistahl.lingua.internal.TrainingDataLanguageModel;
import it.unimi.dsi.fastutil.objects.Object2FloatMap;
import it.unimi.dsi.fastutil.objects.Object2FloatOpenHashMap;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

/** The compact models hold exactly Lingua's values, and Lingua detects the same with them. */
class CompactLinguaModelsTest {
  private static final String[] FILE_NAMES = {
    "unigrams", "bigrams", "trigrams", "quadrigrams", "fivegrams"
  };

  /** Latin with many diacritics, Cyrillic, Arabic, and Chinese (too many chars to pack). */
  private static final Language[] LANGUAGES = {
    Language.ENGLISH, Language.VIETNAMESE, Language.RUSSIAN, Language.ARABIC, Language.CHINESE
  };

  @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp;

  @Test
  void packedTablesKeptOnDiskReadBackTheSameAndADamagedCopyIsMadeAgain() throws Exception {
    PackedModelCache cache = PackedModelCache.under(tmp).orElseThrow();
    java.util.Optional<PackedModelCache> on = java.util.Optional.of(cache);
    int written = 0;
    for (Language language : LANGUAGES) {
      for (int length = 1; length <= 5; length++) {
        Object2FloatMap<String> packed =
            CompactLinguaModels.read(language, length, java.util.Optional.empty());
        Object2FloatMap<String> first = CompactLinguaModels.read(language, length, on);
        Object2FloatMap<String> again = CompactLinguaModels.read(language, length, on);
        assertEquals(entries(packed), entries(first), language + " " + length);
        assertEquals(entries(packed), entries(again), language + " " + length);
        if (packed instanceof PackedNgramTable) {
          assertInstanceOf(PackedNgramTable.class, again);
          // read from the disk: packing again is not what answers
          String model = language + " " + length;
          PackedNgramTable kept =
              cache
                  .table(
                      language,
                      length,
                      () -> {
                        throw new AssertionError(model + " packed again");
                      })
                  .orElseThrow();
          assertEquals(entries(packed), entries(kept), language + " " + length);
          written++;
        }
      }
    }
    List<java.nio.file.Path> files;
    try (var walk = java.nio.file.Files.walk(tmp)) {
      files = walk.filter(f -> f.toString().endsWith(".bin")).sorted().toList();
    }
    assertEquals(written, files.size(), files.toString());
    assertTrue(written >= 15, "models kept: " + written);
    // a flipped byte, a cut file and a file of another model's length are not used
    java.nio.file.Path english =
        files.stream()
            .filter(f -> f.getFileName().toString().equals("en-3.bin"))
            .findFirst()
            .orElseThrow();
    byte[] sound = java.nio.file.Files.readAllBytes(english);
    byte[] flipped = sound.clone();
    flipped[flipped.length / 2] ^= 0x10;
    byte[] other = java.nio.file.Files.readAllBytes(english.resolveSibling("en-2.bin"));
    Map<String, Float> expected =
        entries(CompactLinguaModels.read(Language.ENGLISH, 3, java.util.Optional.empty()));
    for (byte[] damaged :
        new byte[][] {flipped, java.util.Arrays.copyOf(sound, sound.length - 5), other}) {
      java.nio.file.Files.write(english, damaged);
      assertEquals(expected, entries(CompactLinguaModels.read(Language.ENGLISH, 3, on)));
      assertTrue(java.util.Arrays.equals(sound, java.nio.file.Files.readAllBytes(english)));
    }
    // a cache folder that cannot be made leaves the models as they are without one
    java.nio.file.Path blocked = java.nio.file.Files.writeString(tmp.resolve("blocked"), "a file");
    assertEquals(
        expected,
        entries(CompactLinguaModels.read(Language.ENGLISH, 3, PackedModelCache.under(blocked))));
  }

  private static Map<String, Float> entries(Object2FloatMap<String> model) {
    Map<String, Float> all = new java.util.HashMap<>();
    for (Object2FloatMap.Entry<String> e : model.object2FloatEntrySet()) {
      all.put(e.getKey(), e.getFloatValue());
    }
    return all;
  }

  @Test
  void everyNgramHasLinguasOwnValue() throws Exception {
    int packed = 0;
    int files = 0;
    for (Language language : LANGUAGES) {
      for (int length = 1; length <= 5; length++) {
        String path =
            "/language-models/"
                + language.getIsoCode639_1()
                + "/"
                + FILE_NAMES[length - 1]
                + ".json";
        Object2FloatMap<String> lingua;
        try (InputStream in = Language.class.getResourceAsStream(path)) {
          if (in == null) {
            assertEquals(0, CompactLinguaModels.read(language, length).size(), path);
            continue;
          }
          lingua = TrainingDataLanguageModel.Companion.fromJson(in);
        }
        Object2FloatMap<String> compact = CompactLinguaModels.read(language, length);
        files++;
        packed += compact instanceof PackedNgramTable ? 1 : 0;
        int sameLength = 0;
        for (Object2FloatMap.Entry<String> e : lingua.object2FloatEntrySet()) {
          if (e.getKey().length() != length) {
            continue;
          }
          sameLength++;
          assertEquals(
              Float.floatToIntBits(e.getFloatValue()),
              Float.floatToIntBits(compact.getFloat(e.getKey())),
              () -> path + " " + e.getKey());
        }
        assertTrue(sameLength > 0, path);
        assertEquals(sameLength, compact.size(), path);
        for (Object2FloatMap.Entry<String> e : compact.object2FloatEntrySet()) {
          assertTrue(lingua.containsKey(e.getKey()), () -> path + " " + e.getKey());
          assertEquals(lingua.getFloat(e.getKey()), e.getFloatValue(), path);
        }
        assertEquals(0f, compact.getFloat("☃".repeat(length)), path);
        assertFalse(compact.containsKey("☃".repeat(length)), path);
        assertEquals(0f, compact.getFloat("a".repeat(length + 1)), path);
      }
    }
    assertTrue(files > LANGUAGES.length * 4, "model files read: " + files);
    assertEquals(files, packed, "every model packs, Chinese included");
  }

  @Test
  void linguaDetectsTheSameWithTheCompactModels() {
    List<String> texts =
        List.of(
            "a red car parked in front of a small house",
            "Blue car",
            "Ein kleiner Hund läuft über die Wiese",
            "Le chat noir dort sur le canapé",
            "Một con mèo đang ngủ trên ghế",
            "Красная машина у дома",
            "قطة سوداء على الأريكة",
            "一只黑猫在沙发上睡觉",
            "El perro y el gato juegan en el jardín",
            "svg clipart icon 42");
    LanguageDetector detector =
        LanguageDetectorBuilder.fromLanguages(
                Language.ENGLISH,
                Language.GERMAN,
                Language.FRENCH,
                Language.SPANISH,
                Language.ITALIAN,
                Language.VIETNAMESE,
                Language.RUSSIAN,
                Language.UKRAINIAN,
                Language.ARABIC,
                Language.PERSIAN,
                Language.CHINESE)
            .build();
    // as if an earlier detection had put the packed models in: take them out, so that Lingua
    // reads its own for the first pass
    assertTrue(CompactLinguaModels.install());
    detector.unloadLanguageModels();
    List<SortedMap<Language, Double>> linguas = new ArrayList<>();
    for (String text : texts) {
      linguas.add(detector.computeLanguageConfidenceValues(text));
    }
    assertInstanceOf(
        Object2FloatOpenHashMap.class,
        LanguageDetector.Companion.getFivegramLanguageModels$lingua().get(Language.ENGLISH),
        "the first pass used Lingua's own model");
    detector.unloadLanguageModels();

    assertTrue(CompactLinguaModels.install());
    Map<Language, Object2FloatMap<String>> fivegrams =
        LanguageDetector.Companion.getFivegramLanguageModels$lingua();
    assertInstanceOf(CompactLinguaModels.LazyModel.class, fivegrams.get(Language.ENGLISH));
    for (int i = 0; i < texts.size(); i++) {
      assertEquals(
          linguas.get(i), detector.computeLanguageConfidenceValues(texts.get(i)), texts.get(i));
    }
    assertInstanceOf(
        PackedNgramTable.class,
        ((CompactLinguaModels.LazyModel) fivegrams.get(Language.ENGLISH)).model());
  }
}
