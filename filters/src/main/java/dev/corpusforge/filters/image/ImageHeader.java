package dev.corpusforge.filters.image;

/** What an image's header says, read without decoding its pixels. */
public record ImageHeader(String format, int width, int height) {
  public long pixels() {
    return (long) width * height;
  }
}
