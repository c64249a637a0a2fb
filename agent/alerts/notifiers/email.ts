// Email over SMTP through nodemailer (nodemailer.com/smtp): one message per group of alerts.
// SMTP replies: 4xx is transient (retry), 5xx is permanent (RFC 5321 §4.2.1); connection
// failures are retried. The Message-ID is the delivery's idempotency id, so a receiving system
// can drop the duplicate a crash between "250 OK" and our bookkeeping could cause.
import { alertRuleMessages } from '../../../shared/i18n/alertRules';
import { alertTextMessages } from '../../../shared/i18n/alertText';
import type { FieldReader, Obj, Path } from '../config/fieldReader';
import type { AlertTransition, ChannelBase } from '../types';
import { alertLines, alertTitle, type FormatContext } from './text';
import type { ChannelSchema, ProviderVerdict } from './index';

export interface SmtpConfig {
  host: string;
  port: number;
  /** TLS from the first byte (port 465); otherwise STARTTLS when the server offers it. */
  secure: boolean;
  user?: string;
  password?: string;
}

export interface EmailChannel extends ChannelBase {
  type: 'email';
  smtp: SmtpConfig;
  from: string;
  to: string[];
}

const { ref } = alertRuleMessages;

export const schema: ChannelSchema<EmailChannel> = {
  keys: ['smtp', 'from', 'to'],
  // Annotated: `r.fail` narrows (a never-returning call) only through an explicitly typed name.
  read(r: FieldReader, obj: Obj, path: Path) {
    const smtpPath = [...path, 'smtp'];
    const smtp = r.map(obj.smtp, smtpPath, 'smtp: { host: smtp.example.com, port: 587 }');
    r.knownKeys(smtp, smtpPath, ['host', 'port', 'secure', 'user', 'password']);
    const host = r.string(smtp, 'host', smtpPath, 'host: smtp.example.com', true);
    const secure = smtp.secure ?? false;
    if (typeof secure !== 'boolean') r.fail([...smtpPath, 'secure'], ref('notBoolean'));
    const port = r.number(smtp, 'port', smtpPath, 'port: 587') ?? (secure ? 465 : 587);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      r.fail([...smtpPath, 'port'], ref('smtpPort'));
    }
    const user = r.string(smtp, 'user', smtpPath, 'user: alerts@example.com');
    const password = r.string(smtp, 'password', smtpPath, 'password: …');
    const from = r.string(obj, 'from', path, 'from: alerts@example.com', true);
    const to = r.strings(obj, 'to', path, 'to: [me@example.com]');
    if (!to?.length) r.fail([...path, 'to'], ref('required', { example: 'to: [me@example.com]' }));
    for (const [i, address] of [from, ...to].entries()) {
      if (!/^[^\s@]+@[^\s@]+$/.test(address.replace(/^.*<(.+)>\s*$/, '$1'))) {
        r.fail(i === 0 ? [...path, 'from'] : [...path, 'to', i - 1], ref('notEmail', { address }));
      }
    }
    return {
      type: 'email',
      smtp: { host, port, secure, ...(user ? { user } : {}), ...(password ? { password } : {}) },
      from,
      to,
    };
  },
};

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
    alertTitle(alerts, ctx.host, ctx.lang),
    '',
    ...alertLines(alerts, ctx.lang, 200),
    '',
    alertTextMessages(ctx.lang ?? 'en')('emailSentBy', {
      host: ctx.host,
      time: new Date(ctx.now).toISOString(),
    }),
  ].join('\n');
  return {
    from: channel.from,
    to: channel.to,
    // Header injection is not possible: nodemailer folds and encodes header values.
    subject: alertTitle(alerts, ctx.host, ctx.lang),
    text,
    messageId: `<${id.replace(/[^\w.-]/g, '-')}@process-tracker>`,
  };
}

export async function send(
  channel: EmailChannel,
  message: EmailMessage,
  timeoutMs: number,
): Promise<ProviderVerdict> {
  // Loaded on the first email, not at the agent's start: most agents never send one, and loading
  // it costs ~13 MB and ~70 ms of CPU (measured with `node -e "require('nodemailer')"`).
  const { default: nodemailer } = await import('nodemailer');
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
