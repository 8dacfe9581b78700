/**
 * Web servers and proxies: Apache httpd and nginx access and error logs, HAProxy's HTTP and
 * TCP logs, gunicorn and Django's development server. Field names are ECS (the ones
 * Logstash's ecs-v1 library uses, so dashboards built on those keep working).
 */
export const HTTP = String.raw`
# Apache httpd (and anything writing its common/combined format: nginx, gunicorn, many more)
HTTPDUSER %{EMAILADDRESS}|%{USER}
HTTPD_QUOTED [^"\\]*(?:\\.[^"\\]*)*
HTTPD_REQUEST %{WORD:[http][request][method]} %{NOTSPACE:[url][original]}(?: HTTP/%{NUMBER:[http][version]})?
HTTPD_COMMONLOG %{IPORHOST:[source][address]} (?:-|%{HTTPDUSER:[apache][access][user][identity]}) (?:-|%{HTTPDUSER:[user][name]}) \[%{HTTPDATE:timestamp}\] "(?:%{HTTPD_REQUEST}|%{HTTPD_QUOTED})" (?:-|%{INT:[http][response][status_code]:int}) (?:-|%{INT:[http][response][body][bytes]:int})
HTTPD_COMBINEDLOG %{HTTPD_COMMONLOG} "(?:-|%{HTTPD_QUOTED:[http][request][referrer]})" "(?:-|%{HTTPD_QUOTED:[user_agent][original]})"
COMMONAPACHELOG %{HTTPD_COMMONLOG}
COMBINEDAPACHELOG %{HTTPD_COMBINEDLOG}
HTTPD20_ERRORLOG \[%{HTTPDERROR_DATE:timestamp}\] \[%{LOGLEVEL:[log][level]}\] (?:\[client %{IPORHOST:[source][address]}\] )?%{GREEDYDATA:message}
HTTPD24_ERRORLOG \[%{HTTPDERROR_DATE:timestamp}\] \[(?:%{WORD:[apache][error][module]})?:%{LOGLEVEL:[log][level]}\] \[pid %{POSINT:[process][pid]:int}(?::tid %{INT:[process][thread][id]:int})?\](?: \(%{POSINT:[apache][error][proxy][error][code]}\)[^:]*:)?(?: \[client %{IPORHOST:[source][address]}(?::%{POSINT:[source][port]:int})?\])?(?: %{HTTPD24_ERRORCODE:[error][code]}:)? %{GREEDYDATA:message}
HTTPD24_ERRORCODE AH[0-9]{5}
HTTPD_ERRORLOG %{HTTPD20_ERRORLOG}|%{HTTPD24_ERRORLOG}

# nginx: the access log's default format is combined; the error log has a layout of its own
NGINX_ACCESS %{HTTPD_COMBINEDLOG}
NGINX_ERROR_DATE %{YEAR}/%{MONTHNUM2}/%{MONTHDAY} %{TIME}
NGINX_ERRORLOG %{NGINX_ERROR_DATE:timestamp} \[%{LOGLEVEL:[log][level]}\] %{POSINT:[process][pid]:int}#%{NONNEGINT:[process][thread][id]:int}: (?:\*%{NONNEGINT:[nginx][error][connection_id]:int} )?%{DATA:message}(?:, client: %{IPORHOST:[source][address]})?(?:, server: [^,]*)?(?:, request: "%{HTTPD_REQUEST}")?(?:, upstream: "%{HTTPD_QUOTED:[nginx][error][upstream]}")?(?:, host: "%{IPORHOST:[url][domain]}(?::%{POSINT:[url][port]:int})?")?(?:, referrer: "%{HTTPD_QUOTED:[http][request][referrer]}")?$

# HAProxy, as its syslog lines read (option httplog / option tcplog)
HAPROXYTIME %{HOUR}:%{MINUTE}(?::%{SECOND})
HAPROXYDATE %{MONTHDAY}/%{MONTH}/%{YEAR}:%{HAPROXYTIME}
HAPROXYHEADER (?:(?:%{SYSLOGTIMESTAMP:timestamp}|%{TIMESTAMP_ISO8601:timestamp}) (?:%{IPORHOST:[host][hostname]} )?%{SYSLOGPROG}: )?
HAPROXYCOMMON %{IP:[source][address]}:%{INT:[source][port]:int} \[%{HAPROXYDATE:[haproxy][request_date]}\] %{NOTSPACE:[haproxy][frontend_name]} %{NOTSPACE:[haproxy][backend_name]}/%{NOTSPACE:[haproxy][server_name]}
HAPROXYCONNECTIONS %{INT:[haproxy][connections][active]:int}/%{INT:[haproxy][connections][frontend]:int}/%{INT:[haproxy][connections][backend]:int}/%{INT:[haproxy][connections][server]:int}/\+?%{INT:[haproxy][connections][retries]:int} %{INT:[haproxy][server_queue]:int}/%{INT:[haproxy][backend_queue]:int}
HAPROXYHTTPBASE %{HAPROXYCOMMON} %{INT:[haproxy][http][request][time_wait_ms]:int}/%{INT:[haproxy][total_waiting_time_ms]:int}/%{INT:[haproxy][connection_wait_time_ms]:int}/%{INT:[haproxy][http][request][time_wait_without_data_ms]:int}/\+?%{INT:[haproxy][total_time_ms]:int} %{INT:[http][response][status_code]:int} \+?%{INT:[source][bytes]:int} (?:-|%{NOTSPACE:[haproxy][http][request][captured_cookie]}) (?:-|%{NOTSPACE:[haproxy][http][response][captured_cookie]}) %{NOTSPACE:[haproxy][termination_state]} %{HAPROXYCONNECTIONS}(?: \{(?<[haproxy][http][request][captured_headers]>[^}]*)\})?(?: \{(?<[haproxy][http][response][captured_headers]>[^}]*)\})? "(?:<BADREQ>|%{HTTPD_REQUEST}|%{HTTPD_QUOTED})"
HAPROXYHTTP %{HAPROXYHEADER}%{HAPROXYHTTPBASE}
HAPROXYTCP %{HAPROXYHEADER}%{HAPROXYCOMMON} %{INT:[haproxy][total_waiting_time_ms]:int}/%{INT:[haproxy][connection_wait_time_ms]:int}/\+?%{INT:[haproxy][total_time_ms]:int} \+?%{INT:[source][bytes]:int} %{NOTSPACE:[haproxy][termination_state]} %{HAPROXYCONNECTIONS}

# gunicorn: its access log defaults to the combined format; its own log is [time] [pid] [LEVEL] text
GUNICORN_ACCESS %{HTTPD_COMBINEDLOG}
GUNICORN_TIMESTAMP %{TIMESTAMP_ISO8601}(?: %{ISO8601_TIMEZONE})?
GUNICORN_ERROR \[%{GUNICORN_TIMESTAMP:timestamp}\] \[%{POSINT:[process][pid]:int}\] \[%{LOGLEVEL:[log][level]}\] %{GREEDYDATA:message}

# Django's development server (manage.py runserver, logger django.server)
DJANGO_DATE %{MONTHDAY}/%{MONTH}/%{YEAR} %{TIME}
DJANGO_RUNSERVER \[%{DJANGO_DATE:timestamp}\] "%{HTTPD_REQUEST}" %{INT:[http][response][status_code]:int} %{INT:[http][response][body][bytes]:int}
`;
