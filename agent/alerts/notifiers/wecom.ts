// WeCom (企业微信) group robot (developer.work.weixin.qq.com/document/path/91770):
// POST https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=… with JSON
// { msgtype: "markdown", markdown: { content } }; content is at most 4096 UTF-8 bytes.
// Answers 200 with { errcode, errmsg }; a robot may send 20 messages a minute (errcode 45009
// when exceeded). There is no signing: the key in the URL is the secret.
import type { AlertTransition, ChannelBase } from '../types';
import { checkErrcode } from './dingtalk';
import { JSON_HEADERS, type HttpRequest, type HttpResult } from './http';
import { alertLines, alertTitle, truncateBytes, type FormatContext } from './text';
import type { ChannelSchema, ProviderVerdict } from './index';

export interface WeComChannel extends ChannelBase {
  type: 'wecom';
  url: string;
}

export const schema: ChannelSchema<WeComChannel> = {
  keys: ['url'],
  read: (r, obj, path) => ({ type: 'wecom', url: r.httpUrl(obj, 'url', path, 'url: https://…') }),
};

export const RATE_PER_MINUTE = 20;

export function format(channel: WeComChannel, alerts: AlertTransition[], ctx: FormatContext): HttpRequest {
  const content = truncateBytes(
    `**${alertTitle(alerts, ctx.host, ctx.lang)}**\n${alertLines(alerts, ctx.lang)
      .map((l) => `> ${l}`)
      .join('\n')}`,
    4096,
  );
  return {
    url: channel.url,
    headers: JSON_HEADERS,
    body: JSON.stringify({ msgtype: 'markdown', markdown: { content } }),
  };
}

const RETRYABLE = new Set([45009, -1]);

export function check(result: HttpResult): ProviderVerdict | undefined {
  return checkErrcode(result, RETRYABLE);
}
