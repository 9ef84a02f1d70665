package dev.corpusforge.annotators.region;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes small ONNX models for plumbing tests, encoding ONNX's protobuf messages by hand (field
 * numbers from onnx.proto): IR version 8, opset 17. Shapes: a positive number is fixed, −1 a named
 * free dimension.
 */
final class TinyOnnx {
  static final int FLOAT = 1;
  static final int INT64 = 7;

  private final List<byte[]> nodes = new ArrayList<>();
  private final List<byte[]> initializers = new ArrayList<>();
  private final List<byte[]> inputs = new ArrayList<>();
  private final List<byte[]> outputs = new ArrayList<>();
  private int free;

  TinyOnnx input(String name, int type, long... shape) {
    inputs.add(valueInfo(name, type, shape));
    return this;
  }

  TinyOnnx output(String name, int type, long... shape) {
    outputs.add(valueInfo(name, type, shape));
    return this;
  }

  TinyOnnx floats(String name, long[] dims, float... values) {
    Msg t = new Msg();
    for (long d : dims) {
      t.varint(1, d);
    }
    t.varint(2, FLOAT);
    t.string(8, name);
    ByteBuffer raw = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) {
      raw.putFloat(v);
    }
    t.bytes(9, raw.array());
    initializers.add(t.done());
    return this;
  }

  TinyOnnx longs(String name, long[] dims, long... values) {
    Msg t = new Msg();
    for (long d : dims) {
      t.varint(1, d);
    }
    t.varint(2, INT64);
    t.string(8, name);
    ByteBuffer raw = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
    for (long v : values) {
      raw.putLong(v);
    }
    t.bytes(9, raw.array());
    initializers.add(t.done());
    return this;
  }

  /**
   * A node; attributes as {@code name=value} pairs: an int, or ints separated by commas in
   * brackets.
   */
  TinyOnnx node(String op, List<String> in, List<String> out, String... attributes) {
    Msg n = new Msg();
    for (String i : in) {
      n.string(1, i);
    }
    for (String o : out) {
      n.string(2, o);
    }
    n.string(3, op + "_" + nodes.size());
    n.string(4, op);
    for (String a : attributes) {
      String[] kv = a.split("=", 2);
      Msg attr = new Msg();
      attr.string(1, kv[0]);
      if (kv[1].startsWith("[")) {
        for (String v : kv[1].substring(1, kv[1].length() - 1).split(",")) {
          attr.varint(8, Long.parseLong(v.strip()));
        }
        attr.varint(20, 7);
      } else {
        attr.varint(3, Long.parseLong(kv[1]));
        attr.varint(20, 2);
      }
      n.message(5, attr.done());
    }
    nodes.add(n.done());
    return this;
  }

  void write(Path file) throws Exception {
    Msg graph = new Msg();
    nodes.forEach(n -> graph.message(1, n));
    graph.string(2, "tiny");
    initializers.forEach(i -> graph.message(5, i));
    inputs.forEach(i -> graph.message(11, i));
    outputs.forEach(o -> graph.message(12, o));
    Msg opset = new Msg();
    opset.string(1, "");
    opset.varint(2, 17);
    Msg model = new Msg();
    model.varint(1, 8);
    model.string(2, "corpusforge-tests");
    model.message(7, graph.done());
    model.message(8, opset.done());
    Files.write(file, model.done());
  }

  private byte[] valueInfo(String name, int type, long... shape) {
    Msg dims = new Msg();
    for (long d : shape) {
      Msg dim = new Msg();
      if (d > 0) {
        dim.varint(1, d);
      } else {
        dim.string(2, "d" + free++);
      }
      dims.message(1, dim.done());
    }
    Msg tensor = new Msg();
    tensor.varint(1, type);
    tensor.message(2, dims.done());
    Msg typeProto = new Msg();
    typeProto.message(1, tensor.done());
    Msg v = new Msg();
    v.string(1, name);
    v.message(2, typeProto.done());
    return v.done();
  }

  /** A protobuf message being written. */
  private static final class Msg {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    void varint(int field, long value) {
      raw((long) field << 3);
      raw(value);
    }

    void bytes(int field, byte[] value) {
      raw(((long) field << 3) | 2);
      raw(value.length);
      out.writeBytes(value);
    }

    void string(int field, String value) {
      bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    void message(int field, byte[] value) {
      bytes(field, value);
    }

    byte[] done() {
      return out.toByteArray();
    }

    private void raw(long v) {
      while ((v & ~0x7FL) != 0) {
        out.write((int) ((v & 0x7F) | 0x80));
        v >>>= 7;
      }
      out.write((int) v);
    }
  }
}
