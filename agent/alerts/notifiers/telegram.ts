// Telegram Bot API sendMessage (core.telegram.org/bots/api#sendmessage):
// POST https://api.telegram.org/bot<token>/sendMessage with JSON { chat_id, text } where text is
// 1–4096 characters. Plain text (no parse_mode) so process names need no escaping. The answer
// is { ok, description }; 429 carries Retry-After like any HTTP service.
import type { AlertTransition, ChannelBase } from '../types';
import { JSON_HEADERS, type HttpRequest, type HttpResult } from './http';
import { alertLines, alertTitle, truncate, type FormatContext } from './text';
import type { ChannelSchema, ProviderVerdict } from './index';

export interface TelegramChannel extends ChannelBase {
  type: 'telegram';
  token: string;
  chatId: string;
  /** Without a trailing slash; https://api.telegram.org unless a local Bot API server is used. */
  apiUrl: string;
}

export const schema: ChannelSchema<TelegramChannel> = {
  keys: ['token', 'chat_id', 'api_url'],
  read(r, obj, path) {
    const token = r.string(obj, 'token', path, 'token: "123456:ABC…"', true);
    const chatId = r.string(obj, 'chat_id', path, 'chat_id: "-1001234567890"', true);
    const apiUrl =
      obj.api_url === undefined
        ? 'https://api.telegram.org'
        : r.httpUrl(obj, 'api_url', path, 'api_url: https://api.telegram.org');
    return { type: 'telegram', token, chatId, apiUrl: apiUrl.replace(/\/+$/, '') };
  },
};

export function format(channel: TelegramChannel, alerts: AlertTransition[], ctx: FormatContext): HttpRequest {
  const text = truncate(
    `${alertTitle(alerts, ctx.host, ctx.lang)}\n${alertLines(alerts, ctx.lang).join('\n')}`,
    4096,
  );
  return {
    url: `${channel.apiUrl}/bot${channel.token}/sendMessage`,
    headers: JSON_HEADERS,
    body: JSON.stringify({ chat_id: channel.chatId, text, disable_web_page_preview: true }),
  };
}

export function check(result: HttpResult): ProviderVerdict | undefined {
  if (result.status < 200 || result.status >= 300) return undefined;
  try {
    const answer = JSON.parse(result.body) as { ok?: unknown; description?: unknown };
    if (answer.ok === false)
      return { ok: false, retry: false, error: String(answer.description ?? 'ok: false') };
  } catch {
    // A 2xx without JSON is still a 2xx.
  }
  return { ok: true };
}
