// Secrets (webhook URLs with tokens, signing secrets, bot tokens, SMTP passwords) must never
// reach logs, the store or exports. Everything that writes text about deliveries goes through a
// Redactor built from the configured channels.
import { alertRuleMessages } from '../../shared/i18n/alertRules';
import { refText, type MessageRef } from '../../shared/i18n/catalogue';
import { statSync } from 'node:fs';
import type { Logger } from '../log';
import type { ChannelConfig } from './types';

/** Shorter values would redact ordinary words; no real token is this short. */
const MIN_SECRET_LENGTH = 6;
export const REDACTED = '[redacted]';

/** Every value in a channel that would let someone else post to it or read its mailbox. */
export function secretsOf(channel: ChannelConfig): string[] {
  const out: string[] = [];
  const addUrl = (raw: string) => {
    out.push(raw);
    try {
      const url = new URL(raw);
      // A URL's token may be logged on its own (a path, a query): redact its parts too.
      if (url.pathname.length > 1 || url.search) out.push(url.pathname + url.search);
      for (const value of url.searchParams.values()) out.push(value);
      for (const segment of url.pathname.split('/')) if (segment.length >= 16) out.push(segment);
      if (url.password) out.push(url.password);
    } catch {
      // Not a URL: the whole string is already in.
    }
  };
  switch (channel.type) {
    case 'telegram':
      out.push(channel.token);
      break;
    case 'pagerduty':
      out.push(channel.routingKey);
      break;
    case 'email':
      if (channel.smtp.password) out.push(channel.smtp.password);
      break;
    default:
      addUrl(channel.url);
      if ('secret' in channel && channel.secret) out.push(channel.secret);
      if ('headers' in channel && channel.headers) {
        for (const [name, value] of Object.entries(channel.headers)) {
          if (/auth|token|key|secret|signature/i.test(name)) out.push(value);
        }
      }
  }
  return out;
}

export class Redactor {
  private secrets: string[] = [];

  constructor(secrets: Iterable<string> = []) {
    this.add(secrets);
  }

  static forChannels(channels: Record<string, ChannelConfig>): Redactor {
    return new Redactor(Object.values(channels).flatMap(secretsOf));
  }

  add(secrets: Iterable<string>): void {
    const all = new Set(this.secrets);
    for (const secret of secrets) {
      if (secret.length < MIN_SECRET_LENGTH) continue;
      all.add(secret);
      // Secrets also travel URL-encoded (query strings) and JSON-escaped (bodies).
      all.add(encodeURIComponent(secret));
      all.add(JSON.stringify(secret).slice(1, -1));
    }
    // Longest first, so a URL is replaced whole before its token is.
    this.secrets = [...all].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(REDACTED);
    return out;
  }
}

/** A logger that redacts every line before it is written. */
export function redactingLogger(log: Logger, redactor: Redactor): Logger {
  return {
    debug: (m) => log.debug(redactor.redact(m)),
    info: (m) => log.info(redactor.redact(m)),
    warn: (m) => log.warn(redactor.redact(m)),
    error: (m) => log.error(redactor.redact(m)),
  };
}

/**
 * The alerts file holds secrets, so it must be readable by its owner only. Returns a warning
 * naming the fix, or undefined when the mode is fine (or the platform has no POSIX modes).
 */
export function checkSecretFileMode(file: string, platform = process.platform): string | undefined {
  const warning = secretFileModeRef(file, platform);
  return warning && refText(warning, 'en');
}

/** checkSecretFileMode's warning as a message of the alert rules catalogue (any language). */
export function secretFileModeRef(file: string, platform = process.platform): MessageRef | undefined {
  if (platform === 'win32') return undefined;
  let mode: number;
  try {
    mode = statSync(file).mode & 0o777;
  } catch {
    return undefined;
  }
  if ((mode & 0o077) === 0) return undefined;
  return alertRuleMessages.ref('fileReadable', { mode: mode.toString(8).padStart(4, '0'), file });
}
