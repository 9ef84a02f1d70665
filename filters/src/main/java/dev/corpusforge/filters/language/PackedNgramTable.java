package dev.corpusforge.filters.language;

import it.unimi.dsi.fastutil.objects.AbstractObject2FloatMap;
import it.unimi.dsi.fastutil.objects.AbstractObjectSet;
import it.unimi.dsi.fastutil.objects.Object2FloatMap;
import it.unimi.dsi.fastutil.objects.ObjectIterator;
import it.unimi.dsi.fastutil.objects.ObjectSet;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.BitSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * One Lingua language model (all n-grams of one length, one language) as two primitive arrays.
 *
 * <p>Lingua keeps each model as a hash map of {@code String} keys: ~45 bytes of objects per n-gram
 * that every young collection during the load copies and every full collection walks. Here each
 * n-gram's chars are numbered within the model's own alphabet and packed into one {@code long} (a
 * model whose alphabet is too large to pack is not built), held in an open-addressing table of
 * {@code long} keys and {@code float} values: 16 bytes an n-gram, no object per entry. Lookups give
 * exactly the values of Lingua's map: 0 for an n-gram it does not hold, as Lingua's map answers.
 */
final class PackedNgramTable extends AbstractObject2FloatMap<String> {
  /** At most this share of the slots is used; the probe sequences stay short. */
  private static final double MAX_LOAD = 0.75;

  private static final long MIX = 0x9E3779B97F4A7C15L;

  private final int length;
  private final int bitsPerChar;
  private final char[] alphabet;

  /**
   * {@code codes[c >>> 8][c & 0xFF]}: the char's number in {@link #alphabet}, plus one; 0 if
   * absent.
   */
  private final short[][] codes;

  private final long[] keys;
  private final float[] values;

  /** Set while {@link #of} fills the table, before it is handed out. */
  private int size;

  /**
   * Whether n-grams of {@code length} chars over {@code alphabetSize} distinct chars pack into a
   * long.
   */
  private static boolean fits(int length, int alphabetSize) {
    return alphabetSize < Short.MAX_VALUE && length * bitsFor(alphabetSize) <= Long.SIZE;
  }

  /**
   * Builds the table from the model's groups: {@code ngrams.get(i)} is the space-separated n-grams
   * that all have {@code probabilities[i]}. A later group's value wins for an n-gram listed twice,
   * as it does in Lingua's map; n-grams of another length than {@code length} are left out (Lingua
   * looks an n-gram up in the model of its own length only, so they are never found). Empty when
   * the model's alphabet is too large to pack its n-grams into a {@code long}.
   */
  static Optional<PackedNgramTable> of(int length, List<String> ngrams, float[] probabilities) {
    BitSet chars = new BitSet(Character.MAX_VALUE + 1);
    int[] count = {0};
    eachNgram(
        ngrams,
        length,
        (group, text, start) -> {
          count[0]++;
          for (int j = start; j < start + length; j++) {
            chars.set(text.charAt(j));
          }
        });
    char[] alphabet = new char[chars.cardinality()];
    int a = 0;
    for (int c = chars.nextSetBit(0); c >= 0; c = chars.nextSetBit(c + 1)) {
      alphabet[a++] = (char) c;
    }
    if (!fits(length, alphabet.length)) {
      return Optional.empty();
    }
    PackedNgramTable table = new PackedNgramTable(length, alphabet, slotsFor(count[0]));
    eachNgram(
        ngrams,
        length,
        (group, text, start) -> {
          if (table.put(table.pack(text, start), probabilities[group])) {
            table.size++;
          }
        });
    return Optional.of(table);
  }

  /**
   * Where an n-gram of the wanted length starts: in group {@code group}, whose text is {@code
   * text}.
   */
  private interface NgramAt {
    void at(int group, String text, int start);
  }

  /** Calls {@code visitor} for every space-separated n-gram of {@code length} chars, in order. */
  private static void eachNgram(List<String> groups, int length, NgramAt visitor) {
    for (int g = 0; g < groups.size(); g++) {
      String text = groups.get(g);
      int start = 0;
      for (int i = 0; i <= text.length(); i++) {
        if (i == text.length() || text.charAt(i) == ' ') {
          if (i - start == length) {
            visitor.at(g, text, start);
          }
          start = i + 1;
        }
      }
    }
  }

  /**
   * Slots for {@code count} n-grams; one slot always stays empty, so that a probe for an absent key
   * ends.
   */
  private static int slotsFor(int count) {
    return Math.toIntExact((long) Math.ceil(count / MAX_LOAD) + 1);
  }

  /** An empty table of {@code slots} slots. */
  private PackedNgramTable(int length, char[] alphabet, int slots) {
    this.length = length;
    this.alphabet = alphabet;
    this.bitsPerChar = bitsFor(alphabet.length);
    this.codes = new short[256][];
    for (int i = 0; i < alphabet.length; i++) {
      char c = alphabet[i];
      if (codes[c >>> 8] == null) {
        codes[c >>> 8] = new short[256];
      }
      codes[c >>> 8][c & 0xFF] = (short) (i + 1);
    }
    this.keys = new long[slots];
    this.values = new float[slots];
  }

  /**
   * The table as bytes: length, alphabet, size, then every slot's key and value. {@link #fromBytes}
   * reads it back slot for slot, so lookups answer the same without packing the model again.
   */
  byte[] toBytes() {
    ByteBuffer out =
        ByteBuffer.allocate(4 * 4 + 2 * alphabet.length + 12 * keys.length)
            .order(ByteOrder.LITTLE_ENDIAN);
    out.putInt(length).putInt(alphabet.length).putInt(size).putInt(keys.length);
    out.asCharBuffer().put(alphabet);
    out.position(out.position() + 2 * alphabet.length);
    out.asLongBuffer().put(keys);
    out.position(out.position() + 8 * keys.length);
    out.asFloatBuffer().put(values);
    return out.array();
  }

  /**
   * A table from the first {@code count} bytes of {@code bytes}, as {@link #toBytes} wrote them;
   * throws {@link IllegalArgumentException} when they are not one table of n-grams of {@code
   * length} chars.
   */
  static PackedNgramTable fromBytes(byte[] bytes, int count, int length) {
    try {
      ByteBuffer in = ByteBuffer.wrap(bytes, 0, count).slice().order(ByteOrder.LITTLE_ENDIAN);
      int storedLength = in.getInt();
      int alphabetSize = in.getInt();
      int size = in.getInt();
      int slots = in.getInt();
      if (storedLength != length
          || alphabetSize < 0
          || !fits(length, alphabetSize)
          || size < 0
          || slots <= size
          || count != 16 + 2L * alphabetSize + 12L * slots) {
        throw new IllegalArgumentException("not a table of " + length + "-grams");
      }
      char[] alphabet = new char[alphabetSize];
      in.asCharBuffer().get(alphabet);
      in.position(in.position() + 2 * alphabet.length);
      PackedNgramTable table = new PackedNgramTable(length, alphabet, slots);
      in.asLongBuffer().get(table.keys);
      in.position(in.position() + 8 * slots);
      in.asFloatBuffer().get(table.values);
      table.size = size;
      return table;
    } catch (java.nio.BufferUnderflowException | IndexOutOfBoundsException e) {
      throw new IllegalArgumentException("not a table of " + length + "-grams", e);
    }
  }

  private static int bitsFor(int alphabetSize) {
    return Integer.SIZE - Integer.numberOfLeadingZeros(alphabetSize);
  }

  /**
   * The packed key of the {@code length} chars from {@code start}; 0 if a char is not in the
   * alphabet.
   */
  private long pack(CharSequence text, int start) {
    long key = 0;
    for (int i = start; i < start + length; i++) {
      char c = text.charAt(i);
      short[] page = codes[c >>> 8];
      int code = page == null ? 0 : page[c & 0xFF];
      if (code == 0) {
        return 0;
      }
      key = key << bitsPerChar | code;
    }
    return key;
  }

  private int slot(long key) {
    return (int) ((((key * MIX) >>> 32) * keys.length) >>> 32);
  }

  /** Sets the key's value; true when the key was new. */
  private boolean put(long key, float value) {
    int i = slot(key);
    while (keys[i] != 0) {
      if (keys[i] == key) {
        values[i] = value;
        return false;
      }
      i = i + 1 == keys.length ? 0 : i + 1;
    }
    keys[i] = key;
    values[i] = value;
    return true;
  }

  @Override
  public float getFloat(Object ngram) {
    int slot = find(ngram);
    return slot < 0 ? defRetValue : values[slot];
  }

  @Override
  public boolean containsKey(Object ngram) {
    return find(ngram) >= 0;
  }

  /** The slot holding the n-gram, or -1. */
  private int find(Object ngram) {
    if (!(ngram instanceof CharSequence text) || text.length() != length) {
      return -1;
    }
    long key = pack(text, 0);
    if (key == 0) {
      return -1;
    }
    for (int i = slot(key); keys[i] != 0; i = i + 1 == keys.length ? 0 : i + 1) {
      if (keys[i] == key) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public int size() {
    return size;
  }

  private String unpack(long key) {
    char[] chars = new char[length];
    long mask = (1L << bitsPerChar) - 1;
    for (int i = length - 1; i >= 0; i--) {
      chars[i] = alphabet[(int) (key & mask) - 1];
      key >>>= bitsPerChar;
    }
    return new String(chars);
  }

  /** The n-grams and values, decoded back to strings (for comparing against Lingua's own map). */
  @Override
  public ObjectSet<Object2FloatMap.Entry<String>> object2FloatEntrySet() {
    return new AbstractObjectSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public ObjectIterator<Object2FloatMap.Entry<String>> iterator() {
        return new ObjectIterator<>() {
          private int next = advance(0);

          private int advance(int from) {
            int i = from;
            while (i < keys.length && keys[i] == 0) {
              i++;
            }
            return i;
          }

          @Override
          public boolean hasNext() {
            return next < keys.length;
          }

          @Override
          public Object2FloatMap.Entry<String> next() {
            if (!hasNext()) {
              throw new NoSuchElementException();
            }
            int i = next;
            next = advance(i + 1);
            return new BasicEntry<>(unpack(keys[i]), values[i]);
          }
        };
      }
    };
  }
}
