// PagerDuty Events API v2 (developer.pagerduty.com/docs/events-api-v2/trigger-events/):
// POST {api_url}/v2/enqueue with JSON { routing_key, event_action: trigger | resolve, dedup_key,
// payload: { summary ≤ 1024, source, severity: critical | error | warning | info, timestamp,
// custom_details } }. The answer is 202 { status: "success", dedup_key }; 400 names the invalid
// field; 429 is the rate limit (about 120 events a minute per routing key).
//
// One alert per event (delivery.ts does not group this channel): PagerDuty opens one incident per
// dedup key, and a resolve must carry the key of the trigger it closes. The key is made from the
// host and the alert's key, so a trigger, its reminders and its resolve share it, across restarts.
import { createHash } from 'node:crypto';
import type { AlertTransition, ChannelBase } from '../types';
import { JSON_HEADERS, type HttpRequest, type HttpResult } from './http';
import type { ChannelSchema, ProviderVerdict } from './index';
import { alertLines, alertOnHost, truncate, type FormatContext } from './text';

export interface PagerDutyChannel extends ChannelBase {
  type: 'pagerduty';
  /** The integration's routing key: a secret (use `${secret:NAME}`). */
  routingKey: string;
  /** Without a trailing slash; https://events.pagerduty.com (events.eu.pagerduty.com in the EU). */
  apiUrl: string;
}

export const RATE_PER_MINUTE = 120;

export const schema: ChannelSchema<PagerDutyChannel> = {
  keys: ['routing_key', 'api_url'],
  read(r, obj, path) {
    const routingKey = r.string(obj, 'routing_key', path, 'routing_key: "${secret:pagerduty}"', true);
    const apiUrl =
      obj.api_url === undefined
        ? 'https://events.pagerduty.com'
        : r.httpUrl(obj, 'api_url', path, 'api_url: https://events.eu.pagerduty.com');
    return { type: 'pagerduty', routingKey, apiUrl: apiUrl.replace(/\/+$/, '') };
  },
};

/** The same for a trigger, its reminders and its resolve; ≤ 255 characters as PagerDuty asks. */
export function dedupKey(host: string, alertKey: string): string {
  return `process-tracker-${createHash('sha256').update(`${host}\n${alertKey}`).digest('hex').slice(0, 40)}`;
}

export function format(
  channel: PagerDutyChannel,
  alerts: AlertTransition[],
  ctx: FormatContext,
): HttpRequest {
  // delivery.ts sends this channel one alert per message; the first one decides the event.
  const alert = alerts[0]!;
  const base = {
    routing_key: channel.routingKey,
    dedup_key: dedupKey(ctx.host, alert.key),
    client: 'Process Tracker',
  };
  const body =
    alert.kind === 'resolved'
      ? { ...base, event_action: 'resolve' }
      : {
          ...base,
          event_action: 'trigger',
          payload: {
            summary: truncate(alertOnHost(alert, ctx.host, ctx.lang), 1024),
            source: ctx.host,
            severity: alert.severity,
            timestamp: new Date(alert.ts).toISOString(),
            component: alert.process?.name ?? alert.subject,
            group: alert.rule,
            class: alert.metric,
            custom_details: {
              rule: alert.rule,
              scope: alert.scope,
              value: alert.value,
              threshold: alert.threshold,
              operator: alert.operator,
              unit: alert.unit,
              pid: alert.process?.pid ?? null,
              fired_at: new Date(alert.firedAt).toISOString(),
              lines: alertLines(alerts, ctx.lang),
            },
          },
        };
  return { url: `${channel.apiUrl}/v2/enqueue`, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

export function check(result: HttpResult): ProviderVerdict | undefined {
  try {
    const answer = JSON.parse(result.body) as { status?: unknown; message?: unknown };
    if (answer.status !== undefined && answer.status !== 'success')
      return { ok: false, retry: false, error: `${String(answer.status)}: ${String(answer.message ?? '')}` };
  } catch {
    // A 2xx without JSON is still a 2xx.
  }
  return { ok: true };
}
