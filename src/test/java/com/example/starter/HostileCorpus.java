package com.example.starter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hostile-input corpus ({@code hostile-corpus.tsv} on the test classpath): its cases, and what
 * each sends, in bytes. Used by {@link HostileCorpusTest} and by the soak command ({@code
 * bench/Soak.java}).
 */
public final class HostileCorpus {

  private static final Pattern REPEAT = Pattern.compile("\\{repeat:(\\d+):([^}]*)}");
  private static final Pattern HEX = Pattern.compile("\\\\x([0-9a-fA-F]{2})");

  private HostileCorpus() {}

  /** One line of the corpus: what kind of exchange, the expected outcome, what is sent, details. */
  public record Case(int line, String kind, int expected, String what, String detail) {
    @Override
    public String toString() {
      return "line " + line + ": " + kind + " " + what + " -> " + expected;
    }
  }

  public static List<Case> cases() {
    List<Case> cases = new ArrayList<>();
    try (InputStream in = HostileCorpus.class.getResourceAsStream("/hostile-corpus.tsv")) {
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 0; i < lines.length; i++) {
        if (lines[i].isBlank() || lines[i].startsWith("#")) {
          continue;
        }
        String[] fields = lines[i].split("\t", 4);
        cases.add(
            new Case(
                i + 1,
                fields[0],
                Integer.parseInt(fields[1]),
                fields[2],
                fields.length > 3 ? fields[3] : ""));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return cases;
  }

  /**
   * The text with its escapes and macros worked out: {@code \r \n \t}, {@code \s} (a space), {@code
   * {repeat:N:text}}, and each of {@code macros} ({@code {cookie}}, say) by its value.
   */
  public static String expand(String text, Map<String, String> macros) {
    String expanded =
        text.replace("\\r", "\r").replace("\\n", "\n").replace("\\t", "\t").replace("\\s", " ");
    for (Map.Entry<String, String> macro : macros.entrySet()) {
      expanded = expanded.replace(macro.getKey(), macro.getValue());
    }
    Matcher repeat = REPEAT.matcher(expanded);
    StringBuilder out = new StringBuilder();
    while (repeat.find()) {
      repeat.appendReplacement(
          out, Matcher.quoteReplacement(repeat.group(2).repeat(Integer.parseInt(repeat.group(1)))));
    }
    return repeat.appendTail(out).toString();
  }

  /**
   * A raw HTTP request, expanded, with {@code Content-Length: {len}} the length of what follows its
   * head.
   */
  public static byte[] httpRequest(String text, Map<String, String> macros) {
    String request = expand(text, macros);
    int head = request.indexOf("\r\n\r\n");
    if (head >= 0 && request.contains("{len}")) {
      request =
          request.replace("{len}", Integer.toString(bytes(request.substring(head + 4)).length));
    }
    return bytes(request);
  }

  /** The text's characters as UTF-8, with {@code \xHH} as that one raw byte. */
  public static byte[] bytes(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Matcher hex = HEX.matcher(text);
    int at = 0;
    while (hex.find()) {
      out.writeBytes(text.substring(at, hex.start()).getBytes(StandardCharsets.UTF_8));
      out.write(Integer.parseInt(hex.group(1), 16));
      at = hex.end();
    }
    out.writeBytes(text.substring(at).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }
}
