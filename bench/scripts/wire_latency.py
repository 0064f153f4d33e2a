#!/usr/bin/env python3
"""Answer times on the wire, from a loopback packet capture of a benchmark run.

The benchmark times each request from its own send to its own read of the answer: on two cores
shared with the service, the generator's wait for a core is in those figures. The kernel's packet
timestamps are not: this script pairs each request's first packet (payload starting "POST") with
the first packet of the answer on the same connection (payload starting "HTTP/1.1 "; HTTP/1.1
without pipelining, one request at a time per connection) and reports the time between them, by
status, in total and per 5 seconds from START.

Capture (as root, beside the benchmark; 128 bytes per packet, HTTP heads only):

    tcpdump -i lo -s 128 -B 65536 -w run.pcap \\
      'tcp and (tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x504f5354
                or tcp[((tcp[12:1] & 0xf0) >> 2):4] = 0x48545450)'

Then: wire_latency.py run.pcap START END (epoch seconds: the requests sent in [START, END]).
A 503 here is any 503 (ingest-saturated and relay-behind alike): the capture keeps no body.
"""
import collections
import struct
import sys


def main(path, start, end):
    latencies = collections.defaultdict(list)
    pending = {}
    with open(path, "rb") as capture:
        header = capture.read(24)
        nanos = struct.unpack("<I", header[:4])[0] == 0xA1B23C4D
        link = struct.unpack("<I", header[20:24])[0]
        offset = {0: 4, 1: 14, 113: 16, 276: 20}.get(link, 14)  # null/loopback, Ethernet, SLL, SLL2
        while len(record := capture.read(16)) == 16:
            seconds, fraction, included, _ = struct.unpack("<IIII", record)
            data = capture.read(included)
            at = seconds + fraction / (1e9 if nanos else 1e6)
            ip = data[offset:]
            if not ip or ip[0] >> 4 != 4:
                continue
            tcp = ip[(ip[0] & 15) * 4:]
            source, destination = struct.unpack(">HH", tcp[:4])
            payload = tcp[(tcp[12] >> 4) * 4:]
            if payload.startswith(b"POST"):
                pending[(source, destination)] = at
            elif payload.startswith(b"HTTP/1.1 "):
                sent = pending.pop((destination, source), None)
                if sent is not None and start <= sent <= end:
                    latencies[payload[9:12].decode()].append((sent, (at - sent) * 1000))
    for status, answers in sorted(latencies.items()):
        print(f"{status}: {summary([ms for _, ms in answers])}")
        windows = collections.defaultdict(list)
        for sent, ms in answers:
            windows[int((sent - start) // 5) * 5].append(ms)
        for second, values in sorted(windows.items()):
            print(f"  from t={second}s: {summary(values)}")


def summary(values):
    ordered = sorted(values)

    def at(quantile):
        return ordered[min(len(ordered) - 1, int(quantile * len(ordered)))]

    within = 100 * sum(1 for v in ordered if v <= 50) / len(ordered)
    return (
        f"n={len(ordered)} p50 {at(0.5):.2f} p99 {at(0.99):.2f} max {ordered[-1]:.2f} ms,"
        f" {within:.1f} % within 50 ms"
    )


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], float(sys.argv[2]), float(sys.argv[3]))
