/** Application loggers: Java (log4j, logback), Python's logging module, Celery workers. */
export const APPS = String.raw`
# Java
JAVACLASS (?:[a-zA-Z$_][a-zA-Z$_0-9]*\.)*[a-zA-Z$_][a-zA-Z$_0-9]*
JAVAFILE [a-zA-Z$_0-9. -]+
JAVAMETHOD <init>|<clinit>|[a-zA-Z$_][a-zA-Z$_0-9]*
JAVATHREAD [^\]]+
# at [class loader/][module@version/]class.method(file:line), as Java 9 and later print frames
JAVAMODULE [a-zA-Z0-9_.$-]+(?:@[a-zA-Z0-9_.+-]+)?
JAVASTACKTRACEPART \s*at (?:%{JAVAMODULE}/){0,2}%{JAVACLASS:[java][log][origin][class][name]}\.%{JAVAMETHOD:[log][origin][function]}\((?:%{JAVAFILE:[log][origin][file][name]}(?::%{INT:[log][origin][file][line]:int})?|Native Method|Unknown Source)\)
JAVA_LOGTIME %{TIMESTAMP_ISO8601}|%{TIME}
# logback's and log4j 2's default layout: %d{HH:mm:ss.SSS} [%thread] %-5level %logger{36} - %msg%n
# (logback 1.3 and later write " -- " there: its -%kvp- with no key-values)
JAVA_LOGBACK %{JAVA_LOGTIME:timestamp} \[%{JAVATHREAD:[process][thread][name]}\] %{LOGLEVEL:[log][level]} +%{JAVACLASS:[log][logger]} --? %{GREEDYDATA:message}
JAVA_LOG4J2 %{JAVA_LOGBACK}
# log4j 1.x TTCCLayout: %r [%t] %-5p %c %x - %m%n
JAVA_LOG4J_TTCC %{NONNEGINT:[java][log][relative_time_ms]:int} \[%{JAVATHREAD:[process][thread][name]}\] %{LOGLEVEL:[log][level]} +%{JAVACLASS:[log][logger]} +(?:%{NOTSPACE:[java][log][ndc]} +)?- %{GREEDYDATA:message}

# Python's logging: basicConfig's default %(levelname)s:%(name)s:%(message)s, and the cookbook's
# %(asctime)s - %(name)s - %(levelname)s - %(message)s
PYTHON_LOGGER [a-zA-Z_][a-zA-Z0-9_.-]*
PYTHON_LEVEL CRITICAL|ERROR|WARNING|INFO|DEBUG|NOTSET|Level [0-9]+
PYTHON_LOGGING %{PYTHON_LEVEL:[log][level]}:%{PYTHON_LOGGER:[log][logger]}:%{GREEDYDATA:message}
PYTHON_LOGGING_ASCTIME %{TIMESTAMP_ISO8601:timestamp} - %{PYTHON_LOGGER:[log][logger]} - %{PYTHON_LEVEL:[log][level]} - %{GREEDYDATA:message}

# Celery workers: [%(asctime)s: %(levelname)s/%(processName)s] %(message)s, and task lines
CELERY_TASKNAME [a-zA-Z_][a-zA-Z0-9_.:-]*
CELERY_TASKSTATE received|succeeded|failed|raised|retry
CELERY_TASK (?:Task )?%{CELERY_TASKNAME:[celery][task][name]}\[%{UUID:[celery][task][id]}\](?: %{CELERY_TASKSTATE:[celery][task][state]}\b(?: in %{NUMBER:[celery][task][duration_s]:float}s)?)?.*
CELERY_WORKER \[%{TIMESTAMP_ISO8601:timestamp}: %{LOGLEVEL:[log][level]}/(?<[process][name]>[^\]]+)\] (?<message>%{CELERY_TASK}|.*)
`;
