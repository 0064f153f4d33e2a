package io.paybridge.notification.email;

import jakarta.mail.MessagingException;
import org.springframework.mail.MailException;
import org.springframework.mail.MailPreparationException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.mail.javamail.MimeMessageHelper;
import org.springframework.stereotype.Component;
import tools.jackson.databind.JsonNode;

/** Sends a fact's email (plain text and HTML alternatives) through the configured SMTP server. */
@Component
public class EmailSender {

  private final JavaMailSender mail;
  private final EmailProperties properties;

  EmailSender(JavaMailSender mail, EmailProperties properties) {
    this.mail = mail;
    this.properties = properties;
  }

  /**
   * Sends the email of a fact to {@code to}; returns once the SMTP server accepted it.
   *
   * @param messageId a stable id of this delivery, also in the {@code X-PayBridge-Delivery} header,
   *     so that a resend after a crash can be recognised
   * @throws MailException when the server refuses it or cannot be reached
   */
  public void send(String to, String messageId, String type, JsonNode data) {
    var rendered = EmailTemplates.render(type, data);
    var message = mail.createMimeMessage();
    try {
      var helper = new MimeMessageHelper(message, true, "UTF-8");
      helper.setFrom(properties.from());
      helper.setTo(to);
      helper.setSubject(rendered.subject());
      helper.setText(rendered.text(), rendered.html());
      message.setHeader("X-PayBridge-Delivery", messageId);
    } catch (MessagingException e) {
      throw new MailPreparationException("The email of " + type + " could not be built", e);
    }
    mail.send(message);
  }
}
