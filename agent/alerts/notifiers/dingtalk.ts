// DingTalk custom robot (open.dingtalk.com/document/robots/custom-robot-access):
// POST https://oapi.dingtalk.com/robot/send?access_token=… with JSON
// { msgtype: "markdown", markdown: { title, text } }. With "加签" (signing) enabled, append
// &timestamp=<ms>&sign=<urlEncode(base64(HmacSHA256(key = secret, message = timestamp + "\n" + secret)))>;
// the timestamp must be within an hour of DingTalk's clock, so we sign at send time, every attempt.
// The answer is HTTP 200 with { errcode, errmsg }: errcode 0 is success. A robot may send 20
// messages a minute; over that, errcode 130101 ("send too fast") and a 10-minute throttle.
import { createHmac } from 'node:crypto';
import type { AlertTransition, ChannelBase } from '../types';
import { JSON_HEADERS, type HttpRequest, type HttpResult } from './http';
import { alertLines, alertTitle, truncateBytes, type FormatContext } from './text';
import type { ChannelSchema, ProviderVerdict } from './index';

export interface DingTalkChannel extends ChannelBase {
  type: 'dingtalk';
  url: string;
  /** Signing secret, when the bot has signing (加签 / signature verification) on. */
  secret?: string;
}

export const schema: ChannelSchema<DingTalkChannel> = {
  keys: ['url', 'secret'],
  read(r, obj, path) {
    const url = r.httpUrl(obj, 'url', path, 'url: https://…');
    const secret = r.string(obj, 'secret', path, 'secret: SEC…');
    return { type: 'dingtalk', url, ...(secret ? { secret } : {}) };
  },
};

export const RATE_PER_MINUTE = 20;

export function sign(secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

export function format(channel: DingTalkChannel, alerts: AlertTransition[], ctx: FormatContext): HttpRequest {
  const title = alertTitle(alerts, ctx.host, ctx.lang);
  // Markdown: two trailing spaces force a line break; "- " keeps each alert on its own line.
  const text = truncateBytes(
    `### ${title}\n\n${alertLines(alerts, ctx.lang)
      .map((l) => `- ${l}`)
      .join('\n')}`,
    18_000,
  );
  let url = channel.url;
  if (channel.secret) {
    const separator = url.includes('?') ? '&' : '?';
    url += `${separator}timestamp=${ctx.now}&sign=${encodeURIComponent(sign(channel.secret, ctx.now))}`;
  }
  return {
    url,
    headers: JSON_HEADERS,
    body: JSON.stringify({ msgtype: 'markdown', markdown: { title, text } }),
  };
}

const RETRYABLE = new Set([130101, -1]);

export function check(result: HttpResult): ProviderVerdict | undefined {
  return checkErrcode(result, RETRYABLE);
}

/** DingTalk and WeCom answer 200 with { errcode, errmsg }. */
export function checkErrcode(result: HttpResult, retryable: Set<number>): ProviderVerdict | undefined {
  if (result.status < 200 || result.status >= 300) return undefined;
  let answer: { errcode?: unknown; errmsg?: unknown };
  try {
    answer = JSON.parse(result.body) as typeof answer;
  } catch {
    return undefined;
  }
  if (answer.errcode === undefined || answer.errcode === 0) return { ok: true };
  return {
    ok: false,
    retry: retryable.has(Number(answer.errcode)),
    error: `errcode ${String(answer.errcode)}: ${String(answer.errmsg ?? '')}`,
  };
}
