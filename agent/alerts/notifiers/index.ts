// The channel registry: each channel type's config schema, formatter and answer check, all
// declared by the channel's own module beside its sender.
import type { FieldReader, Obj, Path } from '../config/fieldReader';
import type { AlertTransition, ChannelConfig, ChannelType } from '../types';
import * as dingtalk from './dingtalk';
import * as discord from './discord';
import * as email from './email';
import * as feishu from './feishu';
import type { HttpRequest, HttpResult } from './http';
import * as pagerduty from './pagerduty';
import * as slack from './slack';
import * as telegram from './telegram';
import type { FormatContext } from './text';
import * as wecom from './wecom';
import * as webhook from './webhook';

/** A provider's reading of a 2xx answer (some report errors inside a 200). */
export type ProviderVerdict = { ok: true } | { ok: false; retry: boolean; error: string };

/** A channel type's fields as the alerts file writes them, and their reader. */
export interface ChannelSchema<C extends ChannelConfig> {
  /** Its own fields, besides `type` and `rate_per_minute`, which every channel has. */
  keys: readonly string[];
  /** Reads and checks the fields; fails through `r.fail`, naming the field. */
  read(r: FieldReader, obj: Obj, path: Path): Omit<C, 'ratePerMinute'>;
}

/** The rules reader's channel types, in the order its messages list them. */
export const CHANNEL_SCHEMAS: { [T in ChannelType]: ChannelSchema<Extract<ChannelConfig, { type: T }>> } = {
  webhook: webhook.schema,
  slack: slack.schema,
  discord: discord.schema,
  dingtalk: dingtalk.schema,
  wecom: wecom.schema,
  feishu: feishu.schema,
  telegram: telegram.schema,
  email: email.schema,
  pagerduty: pagerduty.schema,
};
export const CHANNEL_TYPES = Object.keys(CHANNEL_SCHEMAS) as ChannelType[];

/** Formats an HTTP channel's request; undefined for email, which is not HTTP. */
export function formatRequest(
  channel: ChannelConfig,
  alerts: AlertTransition[],
  ctx: FormatContext,
): HttpRequest | undefined {
  switch (channel.type) {
    case 'webhook':
      return webhook.format(channel, alerts, ctx);
    case 'slack':
      return slack.format(channel, alerts, ctx);
    case 'discord':
      return discord.format(channel, alerts, ctx);
    case 'dingtalk':
      return dingtalk.format(channel, alerts, ctx);
    case 'wecom':
      return wecom.format(channel, alerts, ctx);
    case 'feishu':
      return feishu.format(channel, alerts, ctx);
    case 'telegram':
      return telegram.format(channel, alerts, ctx);
    case 'pagerduty':
      return pagerduty.format(channel, alerts, ctx);
    case 'email':
      return undefined;
  }
}

export function checkAnswer(type: ChannelType, result: HttpResult): ProviderVerdict | undefined {
  switch (type) {
    case 'dingtalk':
      return dingtalk.check(result);
    case 'wecom':
      return wecom.check(result);
    case 'feishu':
      return feishu.check(result);
    case 'telegram':
      return telegram.check(result);
    case 'pagerduty':
      return pagerduty.check(result);
    default:
      return undefined;
  }
}

/** Documented per-bot limits, used unless the channel sets rate_per_minute. */
export const DEFAULT_RATE_PER_MINUTE: Record<ChannelType, number> = {
  webhook: 60,
  slack: 60, // Slack: about one message a second per webhook.
  discord: 30, // Discord: 30 a minute per webhook.
  dingtalk: dingtalk.RATE_PER_MINUTE,
  wecom: wecom.RATE_PER_MINUTE,
  feishu: feishu.RATE_PER_MINUTE,
  telegram: 20, // Telegram: 20 messages a minute to one group.
  email: 30,
  pagerduty: pagerduty.RATE_PER_MINUTE,
};

/**
 * Channels that take one alert per message, never a group: PagerDuty opens an incident per event's
 * dedup key, and a resolve must carry its trigger's.
 */
export const ONE_ALERT_PER_MESSAGE: ReadonlySet<ChannelType> = new Set(['pagerduty']);
