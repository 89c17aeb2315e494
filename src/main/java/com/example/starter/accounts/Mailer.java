package com.example.starter.accounts;

import com.example.starter.config.AppConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.mail.MailClient;
import io.vertx.ext.mail.MailConfig;
import io.vertx.ext.mail.MailMessage;
import io.vertx.ext.mail.StartTLSOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accounts role's mail: it alone sends mail, about accounts, with links that carry tokens, so
 * the SMTP client lives here rather than in a role of its own that tokens would cross the bus to.
 * Templates are {@code mail/NAME.txt} and {@code mail/NAME.html} in the resources, with {@code
 * {{key}}} placeholders. With no {@code MAIL_HOST} (dev mode), each mail is written to the log
 * instead, link included: nothing else is needed to try the flows.
 */
final class Mailer {

  private static final Logger LOG = LoggerFactory.getLogger(Mailer.class);

  /** Mails kept in dev mode for the dev page, newest last. */
  private static final int KEPT = 20;

  private final MailClient client;
  private final String from;
  private final String publicUrl;
  private final Deque<JsonObject> kept = new ArrayDeque<>();

  private Mailer(MailClient client, String from, String publicUrl) {
    this.client = client;
    this.from = from;
    this.publicUrl = publicUrl;
  }

  static Mailer create(Vertx vertx, AppConfig config) {
    String host = config.mailHost();
    MailClient client =
        host.isEmpty()
            ? null
            : MailClient.createShared(
                vertx,
                new MailConfig()
                    .setHostname(host)
                    .setPort(config.mailPort())
                    .setStarttls(StartTLSOptions.OPTIONAL),
                "accounts-mail");
    return new Mailer(client, config.mailFrom(), config.publicUrl());
  }

  /** A link to a page of the demo site, for a token. */
  String link(String page, String token) {
    return publicUrl + "/" + page + "?token=" + token;
  }

  Future<Void> send(String to, String subject, String template, Map<String, String> values) {
    String text = render(template + ".txt", values, false);
    if (client == null) {
      LOG.info("Mail (no MAIL_HOST: not sent) to {}: {}\n{}", to, subject, text);
      kept.addLast(
          new JsonObject()
              .put("to", to)
              .put("subject", subject)
              .put("text", text)
              .put("at", Instant.now().toString()));
      if (kept.size() > KEPT) {
        kept.removeFirst();
      }
      return Future.succeededFuture();
    }
    MailMessage message =
        new MailMessage()
            .setFrom(from)
            .setTo(to)
            .setSubject(subject)
            .setText(text)
            .setHtml(render(template + ".html", values, true));
    return client.sendMail(message).mapEmpty();
  }

  /** Whether mail goes to the log and the dev page rather than out. */
  boolean dev() {
    return client == null;
  }

  /** The last mails not sent, for the dev page. */
  JsonObject kept() {
    return new JsonObject().put("mails", new JsonArray(List.copyOf(kept)));
  }

  void close() {
    if (client != null) {
      client.close();
    }
  }

  private static String render(String resource, Map<String, String> values, boolean html) {
    String rendered = read("mail/" + resource);
    for (Map.Entry<String, String> value : values.entrySet()) {
      rendered =
          rendered.replace(
              "{{" + value.getKey() + "}}", html ? escape(value.getValue()) : value.getValue());
    }
    return rendered;
  }

  private static String read(String resource) {
    try (InputStream in = Mailer.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("no mail template " + resource);
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("\"", "&quot;");
  }
}
