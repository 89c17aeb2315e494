package com.example.starter;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/** A websocket spoken byte by byte, for frames no client library would send. */
public final class RawWebSocket implements AutoCloseable {

  public static final int TEXT = 0x1;
  public static final int BINARY = 0x2;
  public static final int CLOSE = 0x8;
  public static final int PING = 0x9;

  private final Socket socket;
  private final DataInputStream in;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
  }

  /** Opens {@code path} with these extra headers; fails unless the server answers 101. */
  public static RawWebSocket open(int port, String path, Map<String, String> headers) {
    return open(port, path, headers, 0);
  }

  /**
   * Like {@link #open(int, String, Map)}, with socket buffers of {@code bufferBytes} each way (0 =
   * the system's, which loopback grows to megabytes): a client that does not read then fills them
   * soon.
   */
  public static RawWebSocket open(
      int port, String path, Map<String, String> headers, int bufferBytes) {
    try {
      Socket socket = new Socket();
      if (bufferBytes > 0) {
        socket.setReceiveBufferSize(bufferBytes);
        socket.setSendBufferSize(bufferBytes);
      }
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      socket.setSoTimeout(5000);
      StringBuilder request =
          new StringBuilder(
              "GET "
                  + path
                  + " HTTP/1.1\r\nHost: 127.0.0.1:"
                  + port
                  + "\r\n"
                  + "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                  + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n");
      headers.forEach(
          (name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
      socket
          .getOutputStream()
          .write(request.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
      String head = readHead(socket.getInputStream());
      if (!head.startsWith("HTTP/1.1 101")) {
        socket.close();
        throw new IllegalStateException("no upgrade: " + head);
      }
      return new RawWebSocket(socket);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        break;
      }
      head.write(b);
      matched =
          (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
    }
    return head.toString(StandardCharsets.ISO_8859_1);
  }

  /**
   * One frame: {@code first} is the first byte (FIN, reserved bits, opcode), the payload masked or
   * not.
   */
  public void send(int first, byte[] payload, boolean masked) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(first);
    int mask = masked ? 0x80 : 0;
    if (payload.length < 126) {
      frame.write(mask | payload.length);
    } else if (payload.length < 65536) {
      frame.write(mask | 126);
      frame.write(payload.length >> 8);
      frame.write(payload.length & 0xff);
    } else {
      frame.write(mask | 127);
      for (int shift = 56; shift >= 0; shift -= 8) {
        frame.write((int) ((long) payload.length >> shift) & 0xff);
      }
    }
    byte[] key = new byte[4];
    if (masked) {
      ThreadLocalRandom.current().nextBytes(key);
      frame.writeBytes(key);
    }
    for (int i = 0; i < payload.length; i++) {
      frame.write(payload[i] ^ key[i % 4]);
    }
    try {
      socket.getOutputStream().write(frame.toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Sends this frame (final, masked) again and again, reading nothing, until the server drops the
   * connection or {@code maxBytes} are sent; answers how many bytes went out. Each write blocks
   * while the server reads nothing.
   */
  public long flood(int opcode, byte[] payload, long maxBytes) {
    ByteArrayOutputStream frame = new ByteArrayOutputStream();
    frame.write(0x80 | opcode);
    frame.write(0x80 | payload.length);
    frame.writeBytes(new byte[4]);
    frame.writeBytes(payload);
    byte[] one = frame.toByteArray();
    byte[] batch = new byte[one.length * (65536 / one.length)];
    for (int at = 0; at < batch.length; at += one.length) {
      System.arraycopy(one, 0, batch, at, one.length);
    }
    long sent = 0;
    try {
      while (sent < maxBytes) {
        socket.getOutputStream().write(batch);
        sent += batch.length;
      }
    } catch (IOException dropped) {
      return sent;
    }
    return sent;
  }

  /** Bytes as they are: part of a frame, say. */
  public void sendRaw(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The server's close code if one arrives within {@code within}; 0 if nothing does, -1 if the
   * connection ends.
   */
  public int closeCodeIfAny(Duration within) {
    try {
      return closeCode(within);
    } catch (AssertionError nothingYet) {
      return 0;
    }
  }

  /** A final, masked frame of this opcode, as a well-behaved client sends. */
  public void send(int opcode, byte[] payload) {
    send(0x80 | opcode, payload, true);
  }

  /**
   * Reads frames until the server's close frame and answers its code; -1 if the connection ends
   * without one.
   */
  public int closeCode(Duration within) {
    try {
      socket.setSoTimeout((int) within.toMillis());
      while (true) {
        int first = in.read();
        if (first < 0) {
          return -1;
        }
        int length = in.readUnsignedByte() & 0x7f;
        if (length == 126) {
          length = in.readUnsignedShort();
        } else if (length == 127) {
          length = (int) in.readLong();
        }
        byte[] payload = in.readNBytes(length);
        if ((first & 0x0f) == CLOSE) {
          return payload.length >= 2 ? ((payload[0] & 0xff) << 8) | (payload[1] & 0xff) : 1005;
        }
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("no close frame within " + within);
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
