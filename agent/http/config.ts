// `run --http ADDR [--http-cert FILE --http-key FILE]` into HttpSettings. The address parser, the
// loopback test and the PEM reader are /metrics' own (agent/metrics/config.ts). Off loopback the
// token would cross a network, so TLS is required there; on loopback it is optional.
import { UserInputError } from '../../shared/errors';
import type { HttpSettings } from '../../shared/settings';
import { formatListen, isLoopback, parseListen, readPem } from '../metrics/config';

export interface HttpFlags {
  http?: string;
  httpCert?: string;
  httpKey?: string;
}

/** undefined: the panel is not served (no --http). Every mistake is one UserInputError. */
export function loadHttpSettings(flags: HttpFlags): HttpSettings | undefined {
  if ((flags.httpCert === undefined) !== (flags.httpKey === undefined)) {
    throw new UserInputError('--http-cert and --http-key go together: give both PEM files, or neither');
  }
  if (flags.http === undefined) {
    if (flags.httpCert !== undefined)
      throw new UserInputError('--http-cert and --http-key need --http ADDR: the address to serve on');
    return undefined;
  }
  const { host, port } = parseListen(flags.http, '--http');
  const settings: HttpSettings = { host, port };
  if (flags.httpCert !== undefined && flags.httpKey !== undefined) {
    settings.tls = {
      cert: readPem(flags.httpCert, '--http-cert'),
      key: readPem(flags.httpKey, '--http-key'),
    };
  } else if (!isLoopback(host)) {
    throw new UserInputError(
      `--http ${formatListen(host, port)} is not loopback: give --http-cert and --http-key (TLS), or listen on 127.0.0.1`,
    );
  }
  return settings;
}
