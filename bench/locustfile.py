"""Locust users for the bounded load test (bench/test_bench_load.py): members of the public
reading the cached outcome pages, their data twins and the published programmes, as a
browser would (one page, then the next after a pause to read)."""

from locust import FastHttpUser, between, task

from bench.load_pages import PAGES


class PublicReader(FastHttpUser):
    """Reads the pages in turn, each user starting at a different one, pausing between."""

    wait_time = between(0.5, 1.5)
    readers = 0

    def on_start(self):
        PublicReader.readers += 1
        self.next_page = PublicReader.readers % len(PAGES)

    @task
    def read_a_page(self):
        self.client.get(PAGES[self.next_page])
        self.next_page = (self.next_page + 1) % len(PAGES)
