/**
 * Base patterns: numbers, words, network names, paths and URIs, timestamps, log levels. The
 * names are the ones Logstash users know; the expressions are ours, written for V8: no
 * lookaround and no backreference (so every pattern here can fall back to the linear engine,
 * see engine.ts), and character classes rather than lazy wildcards wherever a field has an end.
 */
export const BASE = String.raw`
# Words and numbers
USERNAME [a-zA-Z0-9._-]+
USER %{USERNAME}
EMAILLOCALPART [a-zA-Z0-9!#$%&'*+/=?^_{|}~.-]+
EMAILADDRESS %{EMAILLOCALPART}@%{HOSTNAME}
INT [+-]?[0-9]+
BASE10NUM [+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)
NUMBER %{BASE10NUM}
BASE16NUM [+-]?(?:0[xX])?[0-9A-Fa-f]+
BASE16FLOAT \b[+-]?(?:0[xX])?(?:[0-9A-Fa-f]+(?:\.[0-9A-Fa-f]*)?|\.[0-9A-Fa-f]+)\b
POSINT \b[1-9][0-9]*\b
NONNEGINT \b[0-9]+\b
WORD \b\w+\b
NOTSPACE \S+
SPACE \s*
DATA .*?
GREEDYDATA .*
QUOTEDSTRING "[^"\\]*(?:\\.[^"\\]*)*"|'[^'\\]*(?:\\.[^'\\]*)*'
QS %{QUOTEDSTRING}
UUID [A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}
URN urn:[0-9A-Za-z][0-9A-Za-z-]*:[0-9A-Za-z()+,.:=@;$_!*'%/?#-]+

# Network
CISCOMAC [0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}\.[0-9A-Fa-f]{4}
WINDOWSMAC [0-9A-Fa-f]{2}-[0-9A-Fa-f]{2}-[0-9A-Fa-f]{2}-[0-9A-Fa-f]{2}-[0-9A-Fa-f]{2}-[0-9A-Fa-f]{2}
COMMONMAC [0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}:[0-9A-Fa-f]{2}
MAC %{COMMONMAC}|%{WINDOWSMAC}|%{CISCOMAC}
IPV4OCTET 25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9]
IPV4 \b%{IPV4OCTET}\.%{IPV4OCTET}\.%{IPV4OCTET}\.%{IPV4OCTET}\b
# Groups of hex digits are not limited to four: V8's linear engine refuses large bounded repeats.
IPV6HEX [0-9A-Fa-f]+
IPV6 (?:%{IPV6HEX}:){6}%{IPV4}|(?:%{IPV6HEX}(?::%{IPV6HEX})*)?::(?:%{IPV6HEX}:)*%{IPV4}|(?:%{IPV6HEX}:){7}%{IPV6HEX}|(?:%{IPV6HEX}(?::%{IPV6HEX})*)?::(?:%{IPV6HEX}(?::%{IPV6HEX})*)?(?:%[0-9A-Za-z]+)?
IP %{IPV6}|%{IPV4}
HOSTNAME \b[0-9A-Za-z][0-9A-Za-z_-]*(?:\.[0-9A-Za-z_][0-9A-Za-z_-]*)*\.?
HOST %{HOSTNAME}
IPORHOST %{IP}|%{HOSTNAME}
HOSTPORT %{IPORHOST}:%{POSINT}

# Paths and URIs
UNIXPATH (?:/[^/\s?*]*)+
WINPATH (?:[A-Za-z]+:|\\)(?:\\[^\\?*]*)+
PATH %{UNIXPATH}|%{WINPATH}
TTY /dev/(?:pts|tty[pq])?\w+\b
URIPROTO [A-Za-z][A-Za-z0-9+.-]*
URIHOST %{IPORHOST}(?::%{POSINT})?
URIPATH (?:/[A-Za-z0-9$.+!*'(){},~:;=@#%&_-]*)+
URIQUERY [A-Za-z0-9$.+!*'|(){},~@#%&/=:;_?\[\]<>^-]*
URIPARAM \?%{URIQUERY}
URIPATHPARAM %{URIPATH}(?:\?%{URIQUERY})?
URI %{URIPROTO}://(?:%{USER}(?::[^@\s]*)?@)?%{URIHOST}?(?:%{URIPATHPARAM})?

# Dates and times
MONTH \b(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)\b
MONTHNUM 0?[1-9]|1[0-2]
MONTHNUM2 0[1-9]|1[0-2]
MONTHDAY 0[1-9]|[12][0-9]|3[01]|[1-9]
DAY \b(?:Mon(?:day)?|Tue(?:sday)?|Wed(?:nesday)?|Thu(?:rsday)?|Fri(?:day)?|Sat(?:urday)?|Sun(?:day)?)\b
YEAR [0-9]{4}|[0-9]{2}
HOUR 2[0-3]|[01]?[0-9]
MINUTE [0-5][0-9]
SECOND (?:[0-5]?[0-9]|60)(?:[:.,][0-9]+)?
TIME \b%{HOUR}:%{MINUTE}:%{SECOND}\b
DATE_US %{MONTHNUM}[/-]%{MONTHDAY}[/-]%{YEAR}
DATE_EU %{MONTHDAY}[./-]%{MONTHNUM}[./-]%{YEAR}
ISO8601_TIMEZONE Z|[+-]%{HOUR}(?::?%{MINUTE})?
ISO8601_SECOND %{SECOND}
TIMESTAMP_ISO8601 %{YEAR}-%{MONTHNUM}-%{MONTHDAY}[T ]%{HOUR}:?%{MINUTE}(?::?%{SECOND})?(?:%{ISO8601_TIMEZONE})?
DATE %{DATE_US}|%{DATE_EU}
DATESTAMP %{DATE}[- ]%{TIME}
TZ [A-Z]{3,4}|UTC
DATESTAMP_RFC822 %{DAY} %{MONTH} %{MONTHDAY} %{YEAR} %{TIME} %{TZ}
DATESTAMP_RFC2822 %{DAY}, %{MONTHDAY} %{MONTH} %{YEAR} %{TIME} %{ISO8601_TIMEZONE}
DATESTAMP_OTHER %{DAY} %{MONTH} %{MONTHDAY} %{TIME} %{TZ} %{YEAR}
DATESTAMP_EVENTLOG %{YEAR}%{MONTHNUM2}%{MONTHDAY}%{HOUR}%{MINUTE}%{SECOND}
SYSLOGTIMESTAMP %{MONTH} +%{MONTHDAY} %{TIME}
HTTPDATE %{MONTHDAY}/%{MONTH}/%{YEAR}:%{TIME} %{INT}
HTTPDERROR_DATE %{DAY} %{MONTH} %{MONTHDAY} %{TIME} %{YEAR}

# Log levels, in the spellings programs write
LOGLEVEL \b(?:[Aa]lert|ALERT|[Tt]race|TRACE|[Dd]ebug[1-5]?|DEBUG[1-5]?|[Nn]otice|NOTICE|[Ii]nfo(?:rmation)?|INFO(?:RMATION)?|[Ww]arn(?:ing)?|WARN(?:ING)?|[Ee]rr(?:or)?|ERR(?:OR)?|[Cc]rit(?:ical)?|CRIT(?:ICAL)?|[Ff]atal|FATAL|[Ss]evere|SEVERE|[Ee]merg(?:ency)?|EMERG(?:ENCY)?|[Pp]anic|PANIC|LOG)\b
`;
