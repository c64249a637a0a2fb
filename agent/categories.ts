// Sorts processes into the categories users filter and group by. User rules come first so a user
// can always override the built-in guess; built-in rules match the executable's name, which is
// far steadier than the command line's arguments.
import { UserInputError } from '../shared/errors';
import { checkCategory, compileRegex } from '../shared/filter';
import type { Category, ProcessMeta } from '../shared/model';
import type { UserCategoryRule } from '../shared/settings';
import type { UserRegex } from '../shared/userRegex';

export type CategoryInput = Pick<ProcessMeta, 'pid' | 'ppid' | 'name' | 'cmdline'>;
export type Categorize = (process: CategoryInput) => Category;

const BUILT_IN: Array<[Category, RegExp]> = [
  [
    'system',
    /^(systemd.*|init|kthreadd|kworker.*|ksoftirqd.*|kswapd.*|kcompactd.*|khugepaged|migration\/.*|rcu_.*|cpuhp\/.*|idle_inject\/.*|irq\/.*|watchdog.*|jbd2\/.*|sshd|sshd-session|sshd-auth|cron|crond|atd|anacron|dbus-daemon|dbus-broker.*|dbus-launch|polkitd|rsyslogd|syslogd|syslog-ng|journald|udevd|agetty|getty|login|irqbalance|acpid|chronyd|ntpd|timesyncd|avahi-daemon|networkmanager|wpa_supplicant|dhclient|dhcpcd|snapd|thermald|upowerd|udisksd|accounts-daemon|cupsd|rtkit-daemon|gdm.*|lightdm|xorg|pipewire.*|pulseaudio|wireplumber|launchd|kernel_task|windowserver|mds.*|mdworker.*|cfprefsd|logd|trustd|configd|svchost|lsass|csrss|wininit|winlogon|services|smss|dwm|explorer|registry|conhost|system|memory compression|fontdrvhost|runtimebroker|searchindexer|spoolsv|taskhostw|sihost)$/,
  ],
  [
    'container',
    /^(dockerd|docker|docker-proxy|docker-init|docker-compose|com\.docker\..*|containerd|containerd-shim.*|ctr|nerdctl|buildkitd|podman|conmon|buildah|skopeo|runc|crun|youki|kubelet|kube-proxy|kube-apiserver|kube-scheduler|kube-controller.*|kubectl|k3s.*|k0s|kind|minikube|crio|colima|lima.*|vpnkit.*|dockerd-rootless.*|rootlesskit|slirp4netns)$/,
  ],
  [
    'database',
    /^(postgres|postmaster|postgresql|pg_ctl|mysqld|mysqld_safe|mariadbd|mariadb|mysql|mongod|mongos|mongosh|redis-server|redis-sentinel|redis-cli|valkey-server|keydb-server|memcached|sqlite3?|clickhouse.*|cockroach|influxd|etcd|couchdb|rethinkdb|neo4j|duckdb|timescaledb|dragonfly|scylla|questdb|sqlservr)$/,
  ],
  [
    'browser',
    /^(chrome|chrome_crashpad.*|google-chrome.*|google chrome.*|chromium.*|firefox.*|firefox-esr|librewolf|waterfox|safari|com\.apple\.webkit\..*|msedge|microsoft-edge.*|microsoft edge.*|brave.*|opera.*|vivaldi.*|epiphany.*|web content|webkitwebprocess|webkitnetworkprocess|thorium.*|arc)$/,
  ],
  [
    'shell',
    /^(bash|zsh|fish|sh|dash|ash|ksh|mksh|tcsh|csh|nu|elvish|xonsh|tmux.*|screen|pwsh|powershell|cmd|zellij|byobu.*)$/,
  ],
  [
    'development',
    /^(code|code-insiders|code-oss|codium|cursor|code helper.*|node|nodejs|deno|bun|npm|npx|pnpm|yarn|corepack|tsc|tsserver|tsx|ts-node|java|javac|kotlin.*|gradle.*|gradlew|mvn|sbt|python[0-9.]*|pip[0-9.]*|ipython.*|jupyter.*|uv|poetry|pytest|go|gopls|dlv|cargo|rustc|rust-analyzer|rustup|clippy-driver|gcc|g\+\+|cc|cc1|cc1plus|c\+\+|clang.*|clangd|ld|ld\.lld|lld|mold|as|make|gmake|cmake|ninja|meson|bazel.*|git|git-.*|gh|esbuild|vite|webpack|rollup|turbo|jest|vitest|mocha|eslint|prettier|ruby|irb|rails|bundle|php|composer|perl|dotnet|msbuild|gdb|lldb|strace|valgrind|vim|nvim|emacs|nano|helix|hx|idea.*|pycharm.*|clion.*|goland.*|webstorm.*|rider.*|studio.*|xcodebuild|swift.*|zig|ghc|stack|erl|beam\.smp|elixir|mix)$/,
  ],
];

/** Kernel threads are children of kthreadd (pid 2), and kthreadd itself. */
function isKernelThread(process: CategoryInput): boolean {
  return process.pid === 2 || process.ppid === 2;
}

/** Names to try: the process name and the basename of argv[0] (the name may be truncated to 15 bytes). */
function candidateNames(process: CategoryInput): string[] {
  const name = normalise(process.name);
  const argv0 = process.cmdline.split(' ', 1)[0] ?? '';
  const base = normalise(argv0.split(/[\\/]/).pop() ?? '');
  return base && base !== name ? [name, base] : [name];
}

/** Lower case, without Windows' `.exe` and a login shell's leading `-`. */
function normalise(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/\.exe$/, '')
    .replace(/^-/, '');
}

function compileUserRules(rules: UserCategoryRule[]): Array<[Category, UserRegex]> {
  return rules.map((rule, index) => {
    const where = `category rule ${index + 1}`;
    if (!rule || typeof rule.match !== 'string' || rule.match === '') {
      throw new UserInputError(
        `${where} has no "match": give a regular expression, e.g. { "match": "^my-server$" }`,
      );
    }
    if (typeof rule.category !== 'string') {
      throw new UserInputError(`${where} ("${rule.match}") has no "category": give one, e.g. "development"`);
    }
    let category: Category;
    try {
      category = checkCategory(rule.category);
    } catch (error) {
      throw new UserInputError(`${where} ("${rule.match}"): ${(error as Error).message}`);
    }
    return [category, compileRegex(rule.match, where)];
  });
}

/**
 * Builds the categorizer once (validating user rules, throwing UserInputError naming the bad rule)
 * so that categorizing a process is only a few regex tests.
 */
export function createCategorizer(userRules: UserCategoryRule[] = []): Categorize {
  const user = compileUserRules(userRules);
  return (process) => {
    for (const [category, pattern] of user) {
      if (pattern.test(process.name) || pattern.test(process.cmdline)) return category;
    }
    if (isKernelThread(process)) return 'system';
    const names = candidateNames(process);
    for (const [category, pattern] of BUILT_IN) {
      if (names.some((name) => pattern.test(name))) return category;
    }
    return 'other';
  };
}
