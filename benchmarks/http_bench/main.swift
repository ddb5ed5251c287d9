print("hone-http-bench: see benchmarks/http_bench.sh")
