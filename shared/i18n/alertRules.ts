// The problems an alert rules file (alerts.yaml) or the rules setting can have, in both languages.
// The agent's reader (agent/alerts/config/) records each as a MessageRef beside its English text
// (ConfigProblem.messageRef): the agent's log keeps English, `process-tracker alerts validate`
// prints it in LANG's language, VS Code's diagnostics in VS Code's. Parameters are what the user
// wrote, field names, numbers and YAML examples (code), never a translated word; a described value
// ("got a list") is a nested message of this catalogue.
import { defineMessages } from './catalogue';

export const alertRuleMessages = defineMessages(
  'alertRules',
  {
    // What a wrong value is (the `got` of the messages below)
    valueNothing: 'nothing',
    valueList: 'a list',
    valueMap: 'a map',
    valueOther: '{type} {json}',
    // The file as a whole
    syntaxCheck: 'check the indentation, brackets and quotes here ({parser}); the entry it is in is skipped',
    syntaxCheckMore: {
      one: 'check the indentation, brackets and quotes here ({parser}); {count} more parser error follows from it; the entry it is in is skipped',
      other:
        'check the indentation, brackets and quotes here ({parser}); {count} more parser errors follow from it; the entry it is in is skipped',
    },
    syntaxIndent:
      'this line is indented {spaces} spaces, the lines around it {around}: line it up (YAML nests by indentation); the entry it is in is skipped',
    syntaxIndentMore: {
      one: 'this line is indented {spaces} spaces, the lines around it {around}: line it up (YAML nests by indentation); {count} more parser error follows from it; the entry it is in is skipped',
      other:
        'this line is indented {spaces} spaces, the lines around it {around}: line it up (YAML nests by indentation); {count} more parser errors follow from it; the entry it is in is skipped',
    },
    aroundTwo: '{above} and {below}',
    unreadable: 'cannot be read ({detail})',
    fileUnreadable: 'cannot be read ({code}): fix its permissions',
    fileReadable: 'is readable by other users (mode {mode}) and may hold secrets: run chmod 600 {file}',
    notOwned:
      'is owned by uid {uid}, not by you ({user}), so its restart actions and channels are refused (nothing runs or is sent from it): make it yours with chown {user} {file} (as root) and chmod 600 {file}',
    othersWrite:
      'other users can write it (mode {mode}), so its restart actions and channels are refused (nothing runs or is sent from it): run chmod 600 {file}',
    folderNotOwned:
      'its folder {entry} is owned by uid {uid}, not by you ({user}), so its restart actions and channels are refused (nothing runs or is sent from it): keep the file in folders of your own, or chown {user} {entry} (as root)',
    symlinkNotOwned:
      'its symlink {entry} is owned by uid {uid}, not by you ({user}), so its restart actions and channels are refused (nothing runs or is sent from it): keep the file in folders of your own, or chown {user} {entry} (as root)',
    folderOthersWrite:
      'its folder {entry} can be written by other users (mode {mode}), who could replace the file, so its restart actions and channels are refused (nothing runs or is sent from it): run chmod go-w {entry}, or keep the file in a private folder',
    topNotMap: 'expected a map with rules:, channels:, silences:, maintenance:, language:',
    settingsNotList: 'expected a list of rules, got {got}',
    // Any field
    notAMap: 'expected a map of fields, got {got}, e.g. {example}',
    unknownFieldGuess: 'unknown field, ignored: did you mean {guess}?',
    unknownField: 'unknown field, ignored; known fields: {known}',
    required: 'is required, e.g. {example}',
    notText: 'expected text, got {got}, e.g. {example}',
    notTextItem: 'expected text, e.g. {example}',
    notNumber: 'expected a number, e.g. {example}',
    requiredOneOf: 'is required: one of {choices}',
    notOneOf: '{got} is not one of {choices}',
    notOneOfGuess: '{got} is not one of {choices} (did you mean {guess}?)',
    notDuration: 'expected a duration, e.g. {key}: 5m',
    notAListOf: 'expected a list (each entry starting with "- "), got {got}',
    notUrl: 'is not a URL, e.g. {example}',
    notHttpUrl: 'must be an http or https URL, e.g. {example}',
    notBoolean: 'expected true or false',
    // Rules
    matchPid: 'expected a whole number, e.g. pid: 1234',
    matchNothing: 'matches nothing in particular: give name, command, category, pid or user, or remove match',
    restartList:
      'expected a list: the program then its arguments (run without a shell), e.g. restart: [systemctl, --user, restart, app]',
    maxPerHour: 'expected a whole number from 1 to 60, e.g. max_per_hour: 3',
    machineNoMatch: '{metric} is machine-wide and takes no match: remove match, or use a process metric',
    absentNeedsMatch: 'absent needs a match naming the process, e.g. {example}',
    machineNoGroupBy: '{metric} is machine-wide: remove group_by',
    absentGroupBy: 'absent takes group_by all (no match running) or process (each death)',
    absentNoThreshold: 'absent takes no threshold: ignored',
    thresholdCpu: 'is required, e.g. threshold: 80 (percent of one core)',
    thresholdMemory: 'is required, e.g. threshold: 1024 (MiB of resident memory)',
    thresholdIo: 'is required, e.g. threshold: 50 (MiB/s)',
    thresholdCount: 'is required, e.g. threshold: 20 (processes)',
    thresholdGrowth: 'is required, e.g. threshold: 100 (MiB per hour)',
    thresholdMachineCpu: 'is required, e.g. threshold: 90 (percent of the machine)',
    thresholdMachineMemory: 'is required, e.g. threshold: 90 (percent of memory in use)',
    notNumberCpu: 'expected a number, e.g. threshold: 80 (percent of one core)',
    notNumberMemory: 'expected a number, e.g. threshold: 1024 (MiB of resident memory)',
    notNumberIo: 'expected a number, e.g. threshold: 50 (MiB/s)',
    notNumberCount: 'expected a number, e.g. threshold: 20 (processes)',
    notNumberGrowth: 'expected a number, e.g. threshold: 100 (MiB per hour)',
    notNumberMachineCpu: 'expected a number, e.g. threshold: 90 (percent of the machine)',
    notNumberMachineMemory: 'expected a number, e.g. threshold: 90 (percent of memory in use)',
    notNumberFindings: 'expected a number, e.g. threshold: 0 (open findings)',
    resolveBelowOperator: 'goes with operator > or >=; with {operator} use resolve_above',
    resolveBelowThreshold: 'must be at or below the threshold ({threshold})',
    resolveAboveOperator: 'goes with operator < or <=; with {operator} use resolve_below',
    resolveAboveThreshold: 'must be at or above the threshold ({threshold})',
    repeatTooShort: 'must be at least 1m, e.g. repeat: 1h',
    windowTooShort: 'must be at least 1m for a growth rate, e.g. window: 30m',
    actionsFromSettings:
      'restart actions are only taken from your own alerts.yaml, never from settings: ignored here',
    actionNeedsAbsent: 'a restart action goes with metric: absent',
    nameUsed: '"{name}" is used by an earlier rule: give each rule its own name',
    noSuchChannel:
      'no channel "{name}" is defined (or it has an error): define it under channels:, or remove it; the rule still shows in VS Code',
    alsoInFile: 'rule "{name}" is also in the alerts file, which wins: rename one of them',
    language: '{got} is not a language: write language: en or language: zh-cn',
    // Channels
    ratePerMinute: 'must be above 0, e.g. 20',
    waitsForSecret:
      'waits for the secret {names} from VS Code ("Process Tracker: Set Alert Secret"); until then it sends nothing',
    templateNotJson:
      'does not give JSON once filled in ({detail}): put {braces} inside quotes, e.g. {example}',
    smtpPort: 'expected a port number from 1 to 65535, e.g. port: 587',
    notEmail: '"{address}" is not an email address',
    // Silences and maintenance windows
    silencesNothing:
      'silences nothing in particular: give rule, scope or process (a silence of everything is a maintenance window)',
    cronAndDays: 'give either cron + duration, or days + from + to, not both',
    durationWithCron: 'is required with cron, e.g. duration: 1h',
    windowLength: 'must be between 1m and 7d',
    windowNeither: 'give cron + duration (e.g. cron: "0 2 * * *", duration: 1h) or days + from + to',
    cronFields:
      'cron "{text}" has {fields} fields: write five fields "minute hour day month weekday", e.g. "0 2 * * *" (02:00 daily)',
    cronNotNumber:
      'cron "{text}": "{part}" is not a number; write five fields "minute hour day month weekday", e.g. "0 2 * * *" (02:00 daily)',
    cronStep:
      'cron "{text}": {field} step "{step}" must be a whole number ≥ 1; write five fields "minute hour day month weekday", e.g. "0 2 * * *" (02:00 daily)',
    cronOutside:
      'cron "{text}": {field} "{part}" is outside {min}–{max}; write five fields "minute hour day month weekday", e.g. "0 2 * * *" (02:00 daily)',
    clockTime: 'clock time "{text}" is not understood: write HH:MM, e.g. 22:30',
    weekday: 'day "{text}" is not a weekday: write mon, tue, … sun',
  },
  {
    valueNothing: '空值',
    valueList: '一个列表',
    valueMap: '一个映射',
    valueOther: '{type} {json}',
    syntaxCheck: '请检查这里的缩进、括号和引号（{parser}）；它所在的条目被跳过',
    syntaxCheckMore: {
      other: '请检查这里的缩进、括号和引号（{parser}）；由此还引出 {count} 个解析错误；它所在的条目被跳过',
    },
    syntaxIndent:
      '这一行缩进 {spaces} 个空格，周围的行是 {around}：请对齐（YAML 以缩进表示层级）；它所在的条目被跳过',
    syntaxIndentMore: {
      other:
        '这一行缩进 {spaces} 个空格，周围的行是 {around}：请对齐（YAML 以缩进表示层级）；由此还引出 {count} 个解析错误；它所在的条目被跳过',
    },
    aroundTwo: '{above} 和 {below}',
    unreadable: '无法读取（{detail}）',
    fileUnreadable: '无法读取（{code}）：请修正其权限',
    fileReadable: '其他用户可以读取它（权限 {mode}），而它可能含有密钥：请运行 chmod 600 {file}',
    notOwned:
      '它属于 uid {uid}，不属于你（{user}），因此拒绝其中的重启动作和通道（不会从中运行或发送任何东西）：以 root 运行 chown {user} {file} 并 chmod 600 {file}，让它归你所有',
    othersWrite:
      '其他用户可以写入它（权限 {mode}），因此拒绝其中的重启动作和通道（不会从中运行或发送任何东西）：请运行 chmod 600 {file}',
    folderNotOwned:
      '它的文件夹 {entry} 属于 uid {uid}，不属于你（{user}），因此拒绝其中的重启动作和通道（不会从中运行或发送任何东西）：请把文件放在你自己的文件夹中，或以 root 运行 chown {user} {entry}',
    symlinkNotOwned:
      '它的符号链接 {entry} 属于 uid {uid}，不属于你（{user}），因此拒绝其中的重启动作和通道（不会从中运行或发送任何东西）：请把文件放在你自己的文件夹中，或以 root 运行 chown {user} {entry}',
    folderOthersWrite:
      '其他用户可以写入它的文件夹 {entry}（权限 {mode}），他们可能替换该文件，因此拒绝其中的重启动作和通道（不会从中运行或发送任何东西）：请运行 chmod go-w {entry}，或把文件放在私有文件夹中',
    topNotMap: '应为包含 rules:、channels:、silences:、maintenance:、language: 的映射',
    settingsNotList: '应为规则列表，实际是{got}',
    notAMap: '应为字段映射，实际是{got}，例如 {example}',
    unknownFieldGuess: '未知字段，已忽略：你是指 {guess} 吗？',
    unknownField: '未知字段，已忽略；已知字段：{known}',
    required: '必须填写，例如 {example}',
    notText: '应为文本，实际是{got}，例如 {example}',
    notTextItem: '应为文本，例如 {example}',
    notNumber: '应为数字，例如 {example}',
    requiredOneOf: '必须填写：{choices} 之一',
    notOneOf: '{got} 不是 {choices} 之一',
    notOneOfGuess: '{got} 不是 {choices} 之一（你是指 {guess} 吗？）',
    notDuration: '应为时长，例如 {key}: 5m',
    notAListOf: '应为列表（每项以 "- " 开头），实际是{got}',
    notUrl: '不是 URL，例如 {example}',
    notHttpUrl: '必须是 http 或 https URL，例如 {example}',
    notBoolean: '应为 true 或 false',
    matchPid: '应为整数，例如 pid: 1234',
    matchNothing: '没有匹配任何具体对象：请给出 name、command、category、pid 或 user，或删除 match',
    restartList: '应为列表：程序及其参数（不经 shell 运行），例如 restart: [systemctl, --user, restart, app]',
    maxPerHour: '应为 1 到 60 的整数，例如 max_per_hour: 3',
    machineNoMatch: '{metric} 针对整台机器，不接受 match：请删除 match，或使用进程指标',
    absentNeedsMatch: 'absent 需要一个指明进程的 match，例如 {example}',
    machineNoGroupBy: '{metric} 针对整台机器：请删除 group_by',
    absentGroupBy: 'absent 只接受 group_by all（没有匹配的进程在运行）或 process（每次退出）',
    absentNoThreshold: 'absent 不接受 threshold：已忽略',
    thresholdCpu: '必须填写，例如 threshold: 80（单核的百分比）',
    thresholdMemory: '必须填写，例如 threshold: 1024（常驻内存 MiB）',
    thresholdIo: '必须填写，例如 threshold: 50（MiB/s）',
    thresholdCount: '必须填写，例如 threshold: 20（进程数）',
    thresholdGrowth: '必须填写，例如 threshold: 100（每小时 MiB）',
    thresholdMachineCpu: '必须填写，例如 threshold: 90（整台机器的百分比）',
    thresholdMachineMemory: '必须填写，例如 threshold: 90（已用内存的百分比）',
    notNumberCpu: '应为数字，例如 threshold: 80（单核的百分比）',
    notNumberMemory: '应为数字，例如 threshold: 1024（常驻内存 MiB）',
    notNumberIo: '应为数字，例如 threshold: 50（MiB/s）',
    notNumberCount: '应为数字，例如 threshold: 20（进程数）',
    notNumberGrowth: '应为数字，例如 threshold: 100（每小时 MiB）',
    notNumberMachineCpu: '应为数字，例如 threshold: 90（整台机器的百分比）',
    notNumberMachineMemory: '应为数字，例如 threshold: 90（已用内存的百分比）',
    notNumberFindings: '应为数字，例如 threshold: 0（未解决的发现数）',
    resolveBelowOperator: '与 operator > 或 >= 搭配；operator 为 {operator} 时请用 resolve_above',
    resolveBelowThreshold: '必须不高于阈值（{threshold}）',
    resolveAboveOperator: '与 operator < 或 <= 搭配；operator 为 {operator} 时请用 resolve_below',
    resolveAboveThreshold: '必须不低于阈值（{threshold}）',
    repeatTooShort: '至少为 1m，例如 repeat: 1h',
    windowTooShort: '计算增长率时至少为 1m，例如 window: 30m',
    actionsFromSettings: '重启动作只从你自己的 alerts.yaml 读取，从不来自设置：此处已忽略',
    actionNeedsAbsent: '重启动作需搭配 metric: absent',
    nameUsed: '"{name}" 已被前面的规则使用：请给每条规则起不同的名字',
    noSuchChannel:
      '没有定义通道 "{name}"（或它有错误）：请在 channels: 下定义它，或删除它；该规则仍会在 VS Code 中显示',
    alsoInFile: '规则 "{name}" 也在告警文件中，以文件为准：请重命名其中之一',
    language: '{got} 不是语言：请写 language: en 或 language: zh-cn',
    ratePerMinute: '必须大于 0，例如 20',
    waitsForSecret:
      '正在等待 VS Code 提供密钥 {names}（"Process Tracker: Set Alert Secret"）；在此之前不发送任何内容',
    templateNotJson: '填入后不是 JSON（{detail}）：请把 {braces} 放在引号内，例如 {example}',
    smtpPort: '应为 1 到 65535 的端口号，例如 port: 587',
    notEmail: '"{address}" 不是电子邮件地址',
    silencesNothing: '没有静默任何具体对象：请给出 rule、scope 或 process（静默一切请用维护窗口）',
    cronAndDays: '请给出 cron + duration，或 days + from + to，不能同时给出',
    durationWithCron: '使用 cron 时必须填写，例如 duration: 1h',
    windowLength: '必须在 1m 到 7d 之间',
    windowNeither: '请给出 cron + duration（例如 cron: "0 2 * * *", duration: 1h）或 days + from + to',
    cronFields:
      'cron "{text}" 有 {fields} 个字段：请写五个字段 "分 时 日 月 星期"，例如 "0 2 * * *"（每天 02:00）',
    cronNotNumber:
      'cron "{text}"："{part}" 不是数字；请写五个字段 "分 时 日 月 星期"，例如 "0 2 * * *"（每天 02:00）',
    cronStep:
      'cron "{text}"：{field} 的步长 "{step}" 必须是 ≥ 1 的整数；请写五个字段 "分 时 日 月 星期"，例如 "0 2 * * *"（每天 02:00）',
    cronOutside:
      'cron "{text}"：{field} "{part}" 超出 {min}–{max}；请写五个字段 "分 时 日 月 星期"，例如 "0 2 * * *"（每天 02:00）',
    clockTime: '无法理解钟点 "{text}"：请写成 HH:MM，例如 22:30',
    weekday: '"{text}" 不是星期几：请写 mon、tue、… sun',
  },
);
