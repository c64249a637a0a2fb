// Feishu / Lark custom bot (open.feishu.cn/document/client-docs/bot-v3/add-custom-bot):
// POST https://open.feishu.cn/open-apis/bot/v2/hook/… with JSON
// { msg_type: "text", content: { text } }, plus { timestamp, sign } when signature verification
// is on: timestamp in *seconds* (as a string), sign = base64(HmacSHA256(key = timestamp + "\n" +
// secret, message = empty)). Note the key/message order is the reverse of DingTalk's.
// Answers 200 with { code, msg } (code 0 = success); body ≤ 20 KB; 100 messages a minute and
// 5 a second per bot (code 11232 when throttled).
import { createHmac } from 'node:crypto';
import type { AlertTransition, ChannelBase } from '../types';
import { JSON_HEADERS, type HttpRequest, type HttpResult } from './http';
import { alertLines, alertTitle, truncateBytes, type FormatContext } from './text';
import type { ChannelSchema, ProviderVerdict } from './index';

export interface FeishuChannel extends ChannelBase {
  type: 'feishu';
  url: string;
  /** Signing secret, when the bot has signing (加签 / signature verification) on. */
  secret?: string;
}

export const schema: ChannelSchema<FeishuChannel> = {
  keys: ['url', 'secret'],
  read(r, obj, path) {
    const url = r.httpUrl(obj, 'url', path, 'url: https://…');
    const secret = r.string(obj, 'secret', path, 'secret: SEC…');
    return { type: 'feishu', url, ...(secret ? { secret } : {}) };
  },
};

export const RATE_PER_MINUTE = 100;

export function sign(secret: string, timestampSeconds: number): string {
  return createHmac('sha256', `${timestampSeconds}\n${secret}`).update('').digest('base64');
}

export function format(channel: FeishuChannel, alerts: AlertTransition[], ctx: FormatContext): HttpRequest {
  const text = truncateBytes(
    `${alertTitle(alerts, ctx.host, ctx.lang)}\n${alertLines(alerts, ctx.lang).join('\n')}`,
    18_000,
  );
  const body: Record<string, unknown> = { msg_type: 'text', content: { text } };
  if (channel.secret) {
    const timestamp = Math.floor(ctx.now / 1000);
    body.timestamp = String(timestamp);
    body.sign = sign(channel.secret, timestamp);
  }
  return { url: channel.url, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

export function check(result: HttpResult): ProviderVerdict | undefined {
  if (result.status < 200 || result.status >= 300) return undefined;
  let answer: { code?: unknown; StatusCode?: unknown; msg?: unknown };
  try {
    answer = JSON.parse(result.body) as typeof answer;
  } catch {
    return undefined;
  }
  const code = answer.code ?? answer.StatusCode ?? 0;
  if (code === 0) return { ok: true };
  return { ok: false, retry: code === 11232, error: `code ${String(code)}: ${String(answer.msg ?? '')}` };
}
