"""Running a test body on several Python threads at once, failures reported by the caller."""
import threading


def in_threads(work, items):
    """work(item) for each item, each in a thread of its own, all at once: the results in order
    (the first exception any thread raised is raised here; a thread's own would only be printed)."""
    results, errors = {}, []

    def run(i, item):
        try:
            results[i] = work(item)
        except BaseException as e:  # noqa: BLE001 - raised below
            errors.append(e)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(items)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if errors:
        raise errors[0]
    return [results[i] for i in range(len(threads))]


def run_on_threads(work, count):
    """work(i) for i in range(count), on `count` threads at once."""
    in_threads(work, range(count))
