// The agent's requests over the browser server's API (agent/http/api.ts): `GET /api/<method>`
// with the params as JSON. A failure throws an Error carrying the agent's error code, as the
// socket client's ResponseError does, so extension/panel/panelData.ts treats both alike.
import type { RequestType } from 'vscode-jsonrpc';
import { t } from '../i18n';

export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: number | undefined,
    readonly status: number,
    /** As a ResponseError's: `text` is the message's catalogue reference (shared/errors.ts errorRef). */
    readonly data?: { text: unknown },
  ) {
    super(message);
  }
}

export async function agentRequest<P, R>(type: RequestType<P, R, void>, params: P): Promise<R> {
  const query = `params=${encodeURIComponent(JSON.stringify(params ?? {}))}`;
  const response = await fetch(`/api/${type.method}?${query}`, {
    cache: 'no-store',
    credentials: 'same-origin',
  });
  if (response.status === 401) {
    throw new ApiError(t('notSignedIn'), undefined, 401);
  }
  const body = (await response.json()) as unknown;
  if (!response.ok) {
    const { code, message, text } = (body ?? {}) as { code?: unknown; message?: unknown; text?: unknown };
    throw new ApiError(
      typeof message === 'string' ? message : t('agentAnswered', { status: response.status }),
      typeof code === 'number' ? code : undefined,
      response.status,
      text === undefined ? undefined : { text },
    );
  }
  return body as R;
}
