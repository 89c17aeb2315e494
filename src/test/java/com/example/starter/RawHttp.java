package com.example.starter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Bytes on a socket, for requests no HTTP client would send: malformed, smuggled, pipelined. */
public final class RawHttp {

  private static final Pattern STATUS_LINE = Pattern.compile("(?m)^HTTP/\\d\\.\\d (\\d{3})");
  private static final Pattern CONTENT_LENGTH = Pattern.compile("(?im)^content-length: *(\\d+)");

  private RawHttp() {}

  /** A registration whose head promises a body of 100 bytes and whose body stops after 9. */
  public static byte[] truncatedRegistration() {
    return ("POST /api/accounts HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + "Content-Length: 100\r\n\r\n{\"login\":")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * Sends the head of a JSON {@code POST} that asks to go on ({@code Expect: 100-continue}) and
   * waits for the {@code 100}: the request has reached a handler, and its {@code bodyLength} bytes
   * of body are for the caller to send.
   */
  public static void startInFlight(Socket socket, String host, String path, int bodyLength)
      throws IOException {
    socket
        .getOutputStream()
        .write(
            ("POST "
                    + path
                    + " HTTP/1.1\r\nHost: "
                    + host
                    + "\r\nContent-Type: application/json\r\n"
                    + "Expect: 100-continue\r\nContent-Length: "
                    + bodyLength
                    + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
    String continued =
        new String(socket.getInputStream().readNBytes(25), StandardCharsets.US_ASCII);
    if (!continued.equals("HTTP/1.1 100 Continue\r\n\r\n")) {
      throw new AssertionError("expected a 100 Continue, got: " + continued);
    }
  }

  /**
   * What came back, and whether the server closed the connection (rather than going quiet for
   * {@code quiet}).
   */
  public record Answer(String text, boolean closed) {

    /** The status of each response, in order: more than one for a pipelined request. */
    public List<Integer> statuses() {
      List<Integer> statuses = new ArrayList<>();
      Matcher matcher = STATUS_LINE.matcher(text);
      while (matcher.find()) {
        statuses.add(Integer.parseInt(matcher.group(1)));
      }
      return statuses;
    }

    public int status() {
      return statuses().isEmpty() ? -1 : statuses().get(0);
    }

    /** The first response's body, as long as its {@code Content-Length} says. */
    public String body() {
      int end = text.indexOf("\r\n\r\n");
      if (end < 0) {
        return "";
      }
      Matcher length = CONTENT_LENGTH.matcher(text.substring(0, end));
      int start = end + 4;
      return length.find()
          ? text.substring(
              start, Math.min(text.length(), start + Integer.parseInt(length.group(1))))
          : text.substring(start);
    }
  }

  public static Answer exchange(int port, String request, Duration quiet) {
    return exchange(port, request.getBytes(StandardCharsets.ISO_8859_1), quiet);
  }

  public static Answer exchange(int port, byte[] request, Duration quiet) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout((int) quiet.toMillis());
      socket.getOutputStream().write(request);
      socket.getOutputStream().flush();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      InputStream in = socket.getInputStream();
      byte[] chunk = new byte[8192];
      boolean closed = false;
      try {
        int read;
        while ((read = in.read(chunk)) >= 0) {
          received.write(chunk, 0, read);
        }
        closed = true;
      } catch (SocketTimeoutException quietNow) {
        // The server keeps the connection open and has nothing more to say.
      } catch (IOException reset) {
        closed = true;
      }
      return new Answer(received.toString(StandardCharsets.ISO_8859_1), closed);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
