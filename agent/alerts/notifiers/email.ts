// Email over SMTP through nodemailer (nodemailer.com/smtp): one message per group of alerts.
// SMTP replies: 4xx is transient (retry), 5xx is permanent (RFC 5321 §4.2.1); connection
// failures are retried. The Message-ID is the delivery's idempotency id, so a receiving system
// can drop the duplicate a crash between "250 OK" and our bookkeeping could cause.
import nodemailer from 'nodemailer';
import type { AlertTransition, ChannelConfig } from '../types';
import { alertLines, alertTitle, type FormatContext } from './text';
import type { ProviderVerdict } from './index';

type EmailChannel = Extract<ChannelConfig, { type: 'email' }>;

export interface EmailMessage {
  from: string;
  to: string[];
  subject: string;
  text: string;
  messageId: string;
}

export function format(
  channel: EmailChannel,
  alerts: AlertTransition[],
  ctx: FormatContext,
  id: string,
): EmailMessage {
  const text = [
    alertTitle(alerts, ctx.host),
    '',
    ...alertLines(alerts, 200),
    '',
    `Sent by Process Tracker on ${ctx.host} at ${new Date(ctx.now).toISOString()}.`,
  ].join('\n');
  return {
    from: channel.from,
    to: channel.to,
    // Header injection is not possible: nodemailer folds and encodes header values.
    subject: alertTitle(alerts, ctx.host),
    text,
    messageId: `<${id.replace(/[^\w.-]/g, '-')}@process-tracker>`,
  };
}

export async function send(
  channel: EmailChannel,
  message: EmailMessage,
  timeoutMs: number,
): Promise<ProviderVerdict> {
  const transport = nodemailer.createTransport({
    host: channel.smtp.host,
    port: channel.smtp.port,
    secure: channel.smtp.secure,
    ...(channel.smtp.user ? { auth: { user: channel.smtp.user, pass: channel.smtp.password ?? '' } } : {}),
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
  });
  try {
    await transport.sendMail(message);
    return { ok: true };
  } catch (error) {
    const code = (error as { responseCode?: number }).responseCode;
    const retry = code === undefined || (code >= 400 && code < 500);
    return { ok: false, retry, error: `${code ? `SMTP ${code}: ` : ''}${(error as Error).message}` };
  } finally {
    transport.close();
  }
}
