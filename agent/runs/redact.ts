// A typed command line can hold a secret (`TOKEN=… make`, `--password x`, an Authorization header);
// runs keep commands in a file and show them in lists, so such values are replaced before either.
import { REDACTED, SECRET_NAME } from '../service/details';

// NAME=value and --name=value / --name value where the name looks secret; quoted values included.
const VALUE = String.raw`("[^"]*"|'[^']*'|\S+)`;
const ASSIGNMENT = new RegExp(
  String.raw`(^|\s)(-{1,2}[A-Za-z][\w.-]*|[A-Za-z_][\w.-]*(?==))(=|\s+)${VALUE}`,
  'g',
);
const AUTH_HEADER = /(authorization:\s*)(bearer\s+|basic\s+|token\s+)?[^\s'"]+/gi;
const URL_CREDENTIALS = /(\w+:\/\/)[^/\s:@]+:[^/\s@]+@/g;

export function redactCommand(command: string): string {
  return command
    .replace(
      AUTH_HEADER,
      (_m, head: string, scheme: string | undefined) => `${head}${scheme ?? ''}${REDACTED}`,
    )
    .replace(URL_CREDENTIALS, (_m, scheme: string) => `${scheme}${REDACTED}@`)
    .replace(ASSIGNMENT, (match, lead: string, name: string, sep: string) => {
      // A bare word followed by a space is an argument, not an assignment: only flags take one.
      if (sep !== '=' && !name.startsWith('-')) return match;
      return SECRET_NAME.test(name) ? `${lead}${name}${sep}${REDACTED}` : match;
    });
}
