// Slack incoming webhook. Documented shape (docs.slack.dev, "Sending messages using incoming
// webhooks"): POST JSON { text, blocks? }; with blocks, `text` is the notification fallback.
// Block Kit: a section's mrkdwn text is limited to 3000 characters; a header's plain_text to 150.
// mrkdwn needs &, < and > escaped as entities (Slack "Formatting text for app surfaces").
import type { AlertTransition, ChannelBase } from '../types';
import type { ChannelSchema } from './index';
import { JSON_HEADERS, type HttpRequest } from './http';
import { alertLines, alertTitle, truncate, type FormatContext } from './text';

export interface SlackChannel extends ChannelBase {
  type: 'slack';
  url: string;
}

export const schema: ChannelSchema<SlackChannel> = {
  keys: ['url'],
  read: (r, obj, path) => ({ type: 'slack', url: r.httpUrl(obj, 'url', path, 'url: https://…') }),
};

export const escapeMrkdwn = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function format(channel: SlackChannel, alerts: AlertTransition[], ctx: FormatContext): HttpRequest {
  const title = alertTitle(alerts, ctx.host, ctx.lang);
  const lines = alertLines(alerts, ctx.lang).join('\n');
  const body = {
    text: truncate(`${title}\n${lines}`, 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: truncate(title, 150) } },
      { type: 'section', text: { type: 'mrkdwn', text: truncate(escapeMrkdwn(lines), 3000) } },
    ],
  };
  return { url: channel.url, headers: JSON_HEADERS, body: JSON.stringify(body) };
}
