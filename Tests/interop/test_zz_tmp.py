import requests, time, collections
def test_x(vigil):
    c = collections.Counter()
    for i in range(25):
        try:
            r = requests.post(vigil.http_url + "/v1/metrics", data=b"\x00" * (65 << 20), headers={"Content-Type": "application/json"}, timeout=30)
            c[r.status_code] += 1
        except Exception as e:
            c[repr(e)[:100]] += 1
    print("\n", c)
