/**
 * Syslog lines (RFC 3164 as daemons and `logger` write them, RFC 5424) and PostgreSQL's
 * server log with its default prefix.
 */
export const SYSTEM = String.raw`
# Syslog
PROG [\x21-\x5a\x5c\x5e-\x7e]+
SYSLOGPROG %{PROG:[process][name]}(?:\[%{POSINT:[process][pid]:int}\])?
SYSLOGHOST %{IPORHOST}
SYSLOGPRI <%{NONNEGINT:[log][syslog][priority]:int}>
SYSLOGFACILITY <%{NONNEGINT:[log][syslog][facility][code]:int}\.%{NONNEGINT:[log][syslog][severity][code]:int}>
SYSLOGBASE %{SYSLOGTIMESTAMP:timestamp} (?:%{SYSLOGFACILITY} )?%{SYSLOGHOST:[host][hostname]} %{SYSLOGPROG}:
SYSLOGBASE2 (?:%{SYSLOGPRI})?(?:%{SYSLOGTIMESTAMP:timestamp}|%{TIMESTAMP_ISO8601:timestamp})(?: %{SYSLOGFACILITY})?(?: %{SYSLOGHOST:[host][hostname]})?(?: %{SYSLOGPROG}:)?
SYSLOGLINE %{SYSLOGBASE2} %{GREEDYDATA:message}
SYSLOG5424PRINTASCII [!-~]+
SYSLOG5424SD \[[^\]\\]*(?:\\.[^\]\\]*)*\](?:\[[^\]\\]*(?:\\.[^\]\\]*)*\])*
SYSLOG5424BASE %{SYSLOGPRI}%{NONNEGINT:[system][syslog][version]} +(?:-|%{TIMESTAMP_ISO8601:timestamp}) +(?:-|%{IPORHOST:[host][hostname]}) +(?:-|%{SYSLOG5424PRINTASCII:[process][name]}) +(?:-|%{POSINT:[process][pid]:int}) +(?:-|%{SYSLOG5424PRINTASCII:[event][code]}) +(?:-|%{SYSLOG5424SD:[system][syslog][structured_data]})?
SYSLOG5424LINE %{SYSLOG5424BASE} +%{GREEDYDATA:message}

# PostgreSQL, log_line_prefix '%m [%p] ' (the default) and '%m [%p] %q%u@%d ' (the common one)
POSTGRESQL_LEVEL DEBUG[1-5]|INFO|NOTICE|WARNING|ERROR|LOG|FATAL|PANIC|STATEMENT|DETAIL|HINT|CONTEXT|QUERY|LOCATION
POSTGRESQL_TZ [A-Za-z][A-Za-z0-9_/+-]*|[+-][0-9]{2}(?::?[0-9]{2})?
POSTGRESQL %{TIMESTAMP_ISO8601:timestamp} %{POSTGRESQL_TZ:[event][timezone]} \[%{POSINT:[process][pid]:int}\] (?:%{USERNAME:[user][name]}?@%{USERNAME:[postgresql][log][database]}? )?%{POSTGRESQL_LEVEL:[log][level]}:  %{GREEDYDATA:message}
`;
