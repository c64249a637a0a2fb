// Discord "Execute Webhook" (discord.com/developers/docs/resources/webhook#execute-webhook):
// POST JSON with at least one of content (≤ 2000 characters) or embeds (≤ 10; an embed's title
// ≤ 256, description ≤ 4096). allowed_mentions { parse: [] } stops a process named "@everyone"
// from pinging a whole server.
import type { AlertTransition, ChannelBase } from '../types';
import type { ChannelSchema } from './index';
import { JSON_HEADERS, type HttpRequest } from './http';
import { alertLines, alertTitle, truncate, type FormatContext } from './text';

export interface DiscordChannel extends ChannelBase {
  type: 'discord';
  url: string;
}

export const schema: ChannelSchema<DiscordChannel> = {
  keys: ['url'],
  read: (r, obj, path) => ({ type: 'discord', url: r.httpUrl(obj, 'url', path, 'url: https://…') }),
};

const COLOR = { critical: 0xd73a49, warning: 0xdbab09, info: 0x0366d6, resolved: 0x28a745 };

export function format(channel: DiscordChannel, alerts: AlertTransition[], ctx: FormatContext): HttpRequest {
  const worst =
    alerts.find((a) => a.kind !== 'resolved' && a.severity === 'critical') ??
    alerts.find((a) => a.kind !== 'resolved');
  const body = {
    username: 'Process Tracker',
    content: truncate(alertTitle(alerts, ctx.host, ctx.lang), 2000),
    embeds: [
      {
        title: truncate(alertTitle(alerts, ctx.host, ctx.lang), 256),
        description: truncate(alertLines(alerts, ctx.lang).join('\n'), 4096),
        color: worst ? COLOR[worst.severity] : COLOR.resolved,
        timestamp: new Date(ctx.now).toISOString(),
      },
    ],
    allowed_mentions: { parse: [] },
  };
  return { url: channel.url, headers: JSON_HEADERS, body: JSON.stringify(body) };
}
