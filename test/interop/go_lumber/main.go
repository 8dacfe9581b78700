// Command lumber-send drives sluice's beats input the way Beats and logstash-forwarder do.
// v2 uses Elastic's go-lumber client (github.com/elastic/go-lumber/client/v2); go-lumber has no
// v1 client (only a v1 server), so v1 windows are written here with its protocol/v1 codes.
//
// It sends -n events in windows of -window, resending a window whenever its connection fails
// before the ACK (at-least-once, as Filebeat does), and prints one JSON summary line.
package main

import (
	"bytes"
	"compress/zlib"
	"crypto/tls"
	"crypto/x509"
	"encoding/binary"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"time"

	v2 "github.com/elastic/go-lumber/client/v2"
	protov1 "github.com/elastic/go-lumber/protocol/v1"
)

type options struct {
	addr        string
	proto       int
	n           int
	window      int
	compression int
	ca          string
	cert        string
	key         string
	ids         bool
	marker      string
	cutAfter    int
	timeout     time.Duration
	reuse       bool
	progress    bool
	retryFor    time.Duration
}

type summary struct {
	Sent            int     `json:"sent"`
	Acked           int     `json:"acked"`
	Windows         int     `json:"windows"`
	Resends         int     `json:"resends"`
	Seconds         float64 `json:"seconds"`
	EventsPerSecond float64 `json:"eventsPerSecond"`
}

// cutConn closes itself after writing `budget` bytes, to kill a connection mid-window.
type cutConn struct {
	net.Conn
	budget int
}

func (c *cutConn) Write(p []byte) (int, error) {
	if c.budget < 0 {
		return c.Conn.Write(p)
	}
	if len(p) <= c.budget {
		c.budget -= len(p)
		return c.Conn.Write(p)
	}
	n, _ := c.Conn.Write(p[:c.budget])
	c.budget = 0
	_ = c.Conn.Close()
	return n, errors.New("connection cut on purpose mid-window")
}

func main() {
	var o options
	flag.StringVar(&o.addr, "addr", "127.0.0.1:5044", "sluice beats input")
	flag.IntVar(&o.proto, "proto", 2, "lumberjack version: 1 or 2")
	flag.IntVar(&o.n, "n", 1000, "events to send")
	flag.IntVar(&o.window, "window", 100, "events per window")
	flag.IntVar(&o.compression, "compression", 0, "zlib level (0: none)")
	flag.StringVar(&o.ca, "ca", "", "CA file: connect with TLS")
	flag.StringVar(&o.cert, "cert", "", "client certificate (mTLS)")
	flag.StringVar(&o.key, "key", "", "client key (mTLS)")
	flag.BoolVar(&o.ids, "ids", false, "send @metadata._id, as Filebeat's add_id processor does")
	flag.StringVar(&o.marker, "marker", "go-lumber", "marker field, to find the events again")
	flag.IntVar(&o.cutAfter, "cut-after", -1, "close the first connection after writing this many bytes")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Second, "read/write timeout, as Beats' output.logstash.timeout")
	flag.BoolVar(&o.reuse, "reuse", false, "v2 load generation: encode one window of events once and send those bytes for every window, so the client's own JSON encoding is not what is measured")
	flag.BoolVar(&o.progress, "progress", false, "print one JSON line per ACKed window ({\"acked_from\":first,\"acked_to\":last}), for crash tests that must know what was ACKed")
	flag.DurationVar(&o.retryFor, "retry-for", 0, "keep reconnecting this long when the server is gone (a restarting sluice), instead of failing at once")
	flag.Parse()
	if o.reuse && o.proto != 2 {
		fmt.Fprintln(os.Stderr, "lumber-send: -reuse is for -proto 2")
		os.Exit(2)
	}
	s, err := run(o)
	if err != nil {
		fmt.Fprintln(os.Stderr, "lumber-send:", err)
		os.Exit(1)
	}
	_ = json.NewEncoder(os.Stdout).Encode(s)
}

func dialer(o options, cut *int) func(network, address string) (net.Conn, error) {
	var tlsConfig *tls.Config
	if o.ca != "" {
		pem, err := os.ReadFile(o.ca)
		if err != nil {
			panic(err)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		tlsConfig = &tls.Config{RootCAs: pool, ServerName: "localhost"}
		if o.cert != "" {
			pair, err := tls.LoadX509KeyPair(o.cert, o.key)
			if err != nil {
				panic(err)
			}
			tlsConfig.Certificates = []tls.Certificate{pair}
		}
	}
	return func(network, address string) (net.Conn, error) {
		d := net.Dialer{Timeout: o.timeout}
		conn, err := d.Dial(network, address)
		if err != nil {
			return nil, err
		}
		if *cut >= 0 {
			conn = &cutConn{Conn: conn, budget: *cut}
			*cut = -1
		}
		if tlsConfig != nil {
			tc := tls.Client(conn, tlsConfig)
			if err := tc.Handshake(); err != nil {
				return nil, err
			}
			conn = tc
		}
		return conn, nil
	}
}

func event(o options, i int) map[string]interface{} {
	meta := map[string]interface{}{"beat": "filebeat", "type": "_doc", "version": "8.15.0"}
	if o.ids {
		meta["_id"] = o.marker + "-" + strconv.Itoa(i)
	}
	return map[string]interface{}{
		"@timestamp": time.Now().UTC().Format("2006-01-02T15:04:05.000Z"),
		"@metadata":  meta,
		"message":    fmt.Sprintf("%s event %d: GET /api/v1/orders/%d 200", o.marker, i, 100000+i),
		"marker":     o.marker,
		"seq":        i,
		"log":        map[string]interface{}{"offset": i * 64, "file": map[string]interface{}{"path": "/var/log/app/orders.log"}},
		"host":       map[string]interface{}{"name": "go-lumber-client"},
		"agent":      map[string]interface{}{"type": "filebeat", "version": "8.15.0"},
		"input":      map[string]interface{}{"type": "filestream"},
		"ecs":        map[string]interface{}{"version": "8.0.0"},
	}
}

func run(o options) (summary, error) {
	var s summary
	cut := o.cutAfter
	dial := dialer(o, &cut)
	started := time.Now()
	var send func(batch []interface{}, first int) (int, error)
	var closeClient func()
	connect := func() error {
		if o.proto == 1 {
			c, err := dialV1(dial, o)
			if err != nil {
				return err
			}
			send = c.send
			closeClient = func() { _ = c.conn.Close() }
			return nil
		}
		c, err := v2.SyncDialWith(dial, o.addr, v2.Timeout(o.timeout), v2.CompressionLevel(o.compression), v2.JSONEncoder(encode))
		if err != nil {
			return err
		}
		send = func(batch []interface{}, _ int) (int, error) { return c.Send(batch) }
		closeClient = func() { _ = c.Close() }
		return nil
	}
	reconnect := func() error {
		deadline := time.Now().Add(o.retryFor)
		for {
			err := connect()
			if err == nil || time.Now().After(deadline) {
				return err
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if err := reconnect(); err != nil {
		return s, err
	}
	var encoded []interface{}
	if o.reuse {
		for i := 0; i < o.window; i++ {
			b, err := json.Marshal(event(o, i))
			if err != nil {
				return s, err
			}
			encoded = append(encoded, b)
		}
	}
	for first := 0; first < o.n; first += o.window {
		last := first + o.window
		if last > o.n {
			last = o.n
		}
		var batch []interface{}
		if o.reuse {
			batch = encoded[:last-first]
		} else {
			batch = make([]interface{}, 0, last-first)
			for i := first; i < last; i++ {
				batch = append(batch, event(o, i))
			}
		}
		for attempt := 0; ; attempt++ {
			acked, err := send(batch, first)
			if err == nil && acked == len(batch) {
				s.Acked += acked
				s.Windows++
				if o.progress {
					fmt.Printf("{\"acked_from\":%d,\"acked_to\":%d}\n", first, last)
				}
				break
			}
			if attempt >= 20 && o.retryFor == 0 {
				return s, fmt.Errorf("window at %d: giving up after %d attempts: %v", first, attempt+1, err)
			}
			// The window was not ACKed: reconnect and send it again, as Beats do.
			s.Resends++
			closeClient()
			time.Sleep(100 * time.Millisecond)
			if err := reconnect(); err != nil {
				return s, err
			}
		}
		s.Sent += len(batch)
	}
	closeClient()
	s.Seconds = time.Since(started).Seconds()
	s.EventsPerSecond = float64(s.Sent) / s.Seconds
	return s, nil
}

// encode is go-lumber's JSON encoder, except that events already encoded (-reuse) go as they are.
func encode(v interface{}) ([]byte, error) {
	if b, ok := v.([]byte); ok {
		return b, nil
	}
	return json.Marshal(v)
}

// v1Client writes logstash-forwarder's frames: W, then D frames (inside one C when compressing).
type v1Client struct {
	conn net.Conn
	o    options
}

func dialV1(dial func(network, address string) (net.Conn, error), o options) (*v1Client, error) {
	conn, err := dial("tcp", o.addr)
	if err != nil {
		return nil, err
	}
	return &v1Client{conn: conn, o: o}, nil
}

func put32(b *bytes.Buffer, v uint32) {
	var tmp [4]byte
	binary.BigEndian.PutUint32(tmp[:], v)
	b.Write(tmp[:])
}

func (c *v1Client) send(batch []interface{}, first int) (int, error) {
	var frames bytes.Buffer
	for i, item := range batch {
		fields := item.(map[string]interface{})
		// logstash-forwarder's keys; its sequence keeps counting across windows.
		pairs := [][2]string{
			{"line", fields["message"].(string)},
			{"file", "/var/log/app/orders.log"},
			{"host", "lsf-client"},
			{"offset", strconv.Itoa((first + i) * 64)},
			{"marker", c.o.marker},
			{"seq", strconv.Itoa(first + i)},
		}
		frames.WriteByte(protov1.CodeVersion)
		frames.WriteByte(protov1.CodeDataFrame)
		put32(&frames, uint32(first+i+1))
		put32(&frames, uint32(len(pairs)))
		for _, kv := range pairs {
			put32(&frames, uint32(len(kv[0])))
			frames.WriteString(kv[0])
			put32(&frames, uint32(len(kv[1])))
			frames.WriteString(kv[1])
		}
	}
	var out bytes.Buffer
	out.WriteByte(protov1.CodeVersion)
	out.WriteByte(protov1.CodeWindowSize)
	put32(&out, uint32(len(batch)))
	if c.o.compression > 0 {
		var z bytes.Buffer
		w, _ := zlib.NewWriterLevel(&z, c.o.compression)
		_, _ = w.Write(frames.Bytes())
		_ = w.Close()
		out.WriteByte(protov1.CodeVersion)
		out.WriteByte(protov1.CodeCompressed)
		put32(&out, uint32(z.Len()))
		out.Write(z.Bytes())
	} else {
		out.Write(frames.Bytes())
	}
	_ = c.conn.SetDeadline(time.Now().Add(c.o.timeout))
	if _, err := c.conn.Write(out.Bytes()); err != nil {
		return 0, err
	}
	want := uint32(first + len(batch))
	var ack [6]byte
	for {
		if _, err := io.ReadFull(c.conn, ack[:]); err != nil {
			return 0, err
		}
		if ack[0] != protov1.CodeVersion || ack[1] != protov1.CodeACK {
			return 0, fmt.Errorf("not a v1 ACK: % x", ack)
		}
		seq := binary.BigEndian.Uint32(ack[2:])
		if seq > want {
			return 0, fmt.Errorf("ACK %d beyond the window's last sequence %d", seq, want)
		}
		if seq == want {
			return len(batch), nil
		}
	}
}
