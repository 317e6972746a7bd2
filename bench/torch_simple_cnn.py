"""PyTorch half of `npm run bench:train:torch` (bench/compare-torch.ts).

Trains the network described by a Tensorgrade spec's layer list on the CPU, with the same batch size, optimizer and
learning rate, and prints one JSON line with the measured throughput and the conditions it was measured under. Reads
its whole job as JSON on stdin:

  {"layers": [...spec layers...], "frozen": <how many leading layers are a frozen base>,
   "inputShape": [h, w, c], "batchSize": 64, "learningRate": 0.001, "images": 2048,
   "warmupSteps": 3, "steps": 20, "threads": 1, "seed": 1, "layout": "channels_last" | "contiguous",
   "countOnly": false, "barrier": null | "<directory>"}

With "barrier" (runs started at once), the script leaves `ready-<pid>` in that directory after its warmup and waits
for a file `go` there before the measured steps, so that simultaneous runs measure while all of them train.

With "countOnly" it builds the network and prints only its parameter counts (the parent checks them against the
Tensorgrade model before measuring anything).

A frozen base runs forward only (torch.no_grad, eval mode), as in Keras and in the grader's transfer recipe.
The parent (compare-torch.ts) sets the allocator and thread-pool variables in this process's environment: they have
to be in place before the C libraries load, so nothing here can set them. This script reports what it actually got:
the allocator mapped into the process, the OS threads, what threadpoolctl sees, and the page faults of the measured
steps, so a reader can check the baseline was not handicapped.
Exit code 3 with a message on stderr when torch is not installed.
"""
import json
import os
import resource
import sys
import time

# The variables that decide how fast this process can be; echoed back so the report shows what the child ran with.
REPORTED_ENV = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE",
                "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_", "MALLOC_CONF", "LD_PRELOAD")


def build(layers, input_shape, torch):
    """Builds nn.Modules for the spec layers; returns (modules, output shape per layer)."""
    nn = torch.nn
    h, w, c = input_shape
    shape = (c, h, w)
    modules = []
    for layer in layers:
        kind = layer["type"]
        if kind == "conv2d":
            k = layer["kernelSize"]
            kh, kw = (k, k) if isinstance(k, int) else k
            s = layer.get("strides", 1)
            sh, sw = (s, s) if isinstance(s, int) else s
            if layer.get("padding", "valid") == "same":
                if (sh, sw) != (1, 1):
                    raise SystemExit("same padding with stride > 1 is not supported by this benchmark")
                # Odd kernels pad symmetrically: the integer form takes PyTorch's fast path, "same" may not.
                pad = (kh // 2, kw // 2) if kh % 2 == 1 and kw % 2 == 1 else "same"
            else:
                pad = 0
            conv = nn.Conv2d(shape[0], layer["filters"], (kh, kw), (sh, sw), pad, bias=layer.get("useBias", True))
            modules.append(conv)
            with torch.no_grad():
                out = conv(torch.zeros(1, *shape))
            shape = tuple(out.shape[1:])
        elif kind == "maxPooling2d":
            p = layer["poolSize"]
            ph, pw = (p, p) if isinstance(p, int) else p
            s = layer.get("strides") or p
            modules.append(nn.MaxPool2d((ph, pw), s))
            shape = (shape[0], (shape[1] - ph) // (s if isinstance(s, int) else s[0]) + 1,
                     (shape[2] - pw) // (s if isinstance(s, int) else s[1]) + 1)
            continue
        elif kind == "flatten":
            modules.append(nn.Flatten())
            shape = (shape[0] * shape[1] * shape[2],)
            continue
        elif kind == "globalAveragePooling2d":
            modules.append(nn.Sequential(nn.AdaptiveAvgPool2d(1), nn.Flatten()))
            shape = (shape[0],)
            continue
        elif kind == "dense":
            modules.append(nn.Linear(shape[0], layer["units"], bias=layer.get("useBias", True)))
            shape = (layer["units"],)
        else:
            raise SystemExit(f"layer type {kind} is not supported by this benchmark")
        act = layer.get("activation", "linear")
        if act == "relu":
            modules.append(nn.ReLU())
        elif act not in ("linear", "softmax"):
            raise SystemExit(f"activation {act} is not supported by this benchmark")
        # softmax is folded into the cross-entropy loss below, as Keras/TF.js fold it into theirs.
    return modules


def os_threads():
    """The kernel's count of this process's threads (every pool that has started, not what torch was asked for)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return None


def allocator():
    """Which malloc serves this process: jemalloc when it is mapped in (LD_PRELOAD), else glibc's."""
    with open("/proc/self/maps") as f:
        return "jemalloc" if "libjemalloc" in f.read() else "glibc"


def thread_pools():
    """threadpoolctl's view of the native pools (OpenBLAS, OpenMP): their thread counts and OpenBLAS's kernel."""
    try:
        import threadpoolctl
    except ImportError:
        return None
    return [{k: p.get(k) for k in ("internal_api", "num_threads", "architecture", "threading_layer") if p.get(k)}
            for p in threadpoolctl.threadpool_info()]


def await_barrier(directory, timeout=120.0):
    """Announces the warmup is done, then waits until the parent says every run's is."""
    open(os.path.join(directory, f"ready-{os.getpid()}"), "w").close()
    until = time.monotonic() + timeout
    while not os.path.exists(os.path.join(directory, "go")):
        if time.monotonic() > until:
            raise SystemExit(f"no go at the barrier {directory} after {timeout} s")
        time.sleep(0.002)


def main():
    job = json.load(sys.stdin)
    try:
        import torch
    except ImportError:
        print("torch is not installed for this python", file=sys.stderr)
        sys.exit(3)
    torch.set_num_threads(job["threads"])
    # oneDNN convolutions are PyTorch's fast CPU path; on by default, set so no environment can have turned it off.
    torch.backends.mkldnn.enabled = True
    torch.manual_seed(job["seed"])
    channels_last = job.get("layout", "contiguous") == "channels_last"
    memory_format = torch.channels_last if channels_last else torch.contiguous_format
    frozen_count = job["frozen"]
    layers = job["layers"]
    base_modules = build(layers[:frozen_count], job["inputShape"], torch) if frozen_count else []
    h, w, c = job["inputShape"]
    with torch.no_grad():
        probe = torch.nn.Sequential(*base_modules)(torch.zeros(1, c, h, w)) if base_modules else None
    head_input = list(job["inputShape"]) if probe is None else (
        [probe.shape[2], probe.shape[3], probe.shape[1]] if probe.dim() == 4 else None)
    if head_input is None:
        raise SystemExit("a frozen base must end in a feature map")
    base = torch.nn.Sequential(*base_modules).eval()
    for p in base.parameters():
        p.requires_grad_(False)
    head = torch.nn.Sequential(*build(layers[frozen_count:], head_input, torch))
    parameters = {
        "total": sum(p.numel() for p in base.parameters()) + sum(p.numel() for p in head.parameters()),
        "trainable": sum(p.numel() for p in head.parameters()),
    }
    if job.get("countOnly"):
        print(json.dumps({"parameters": parameters}))
        return
    # Convolution weights in NHWC order; the images below are NHWC already, so every conv sees channels-last input.
    base.to(memory_format=memory_format)
    head.to(memory_format=memory_format)
    optimizer = torch.optim.Adam(head.parameters(), lr=job["learningRate"])
    loss_fn = torch.nn.CrossEntropyLoss()
    n, b = job["images"], job["batchSize"]
    classes = [l for l in layers if l["type"] == "dense"][-1]["units"]
    gen = torch.Generator().manual_seed(job["seed"])
    # The uint8 cache as the grader holds it, NHWC; as an NCHW view of it, it is channels-last already. The
    # contiguous layout copies it to plain NCHW once, outside the timed steps. Same values either way.
    images = torch.randint(0, 256, (n, h, w, c), dtype=torch.uint8, generator=gen).permute(0, 3, 1, 2)
    if not channels_last:
        images = images.contiguous()
    labels = torch.randint(0, classes, (n,), generator=gen)

    def step(i):
        lo = (i * b) % (n - b + 1)
        # The same data path as the grader: uint8 cache -> float 0..1 batch (.float() keeps the memory format).
        x = images[lo:lo + b].float().div_(255)
        y = labels[lo:lo + b]
        with torch.no_grad():
            features = base(x)
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(head(features), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    for i in range(job["warmupSteps"]):
        step(i)
    if job.get("barrier"):
        await_barrier(job["barrier"])
    threads = os_threads()
    losses = []
    before = resource.getrusage(resource.RUSAGE_SELF)
    window_start = time.time() * 1000
    start, cpu_start = time.perf_counter(), time.process_time()
    for i in range(job["steps"]):
        losses.append(step(job["warmupSteps"] + i))
        threads = max(threads, os_threads())
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu_start
    window_end = time.time() * 1000
    after = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "imagesPerSecond": job["steps"] * b / seconds, "imagesPerCpuSecond": job["steps"] * b / cpu_seconds,
        "torchThreads": torch.get_num_threads(), "osThreads": threads, "threadPools": thread_pools(),
        "minorFaultsPerStep": (after.ru_minflt - before.ru_minflt) / job["steps"],
        "majorFaultsPerStep": (after.ru_majflt - before.ru_majflt) / job["steps"],
        "allocator": allocator(), "mkldnn": torch.backends.mkldnn.is_available() and torch.backends.mkldnn.enabled,
        "layout": "channels_last" if channels_last else "contiguous", "parameters": parameters, "losses": losses,
        "env": {k: os.environ[k] for k in REPORTED_ENV if k in os.environ}, "torch": torch.__version__,
        "windowStart": window_start, "windowEnd": window_end,
    }))


if __name__ == "__main__":
    main()
