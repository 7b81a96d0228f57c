"""The live feed reconnects by itself: the services restart under an open queue page, the page
goes offline, comes back live without a reload, and then shows a new ticket live again."""


def test_live_feed_reconnects_after_a_restart(browser, campus):
    browser.login("technician")
    browser.go("queue")
    browser.find("#queue-board [data-column=open]")
    browser.wait_live()
    browser.driver.execute_script("window.__sameDocument = true")
    campus.stop()
    try:
        browser.wait(20).until(lambda d: d.find_element("css selector", "#live-status").get_attribute("data-state") != "live", "never noticed the outage")
    finally:
        campus.start()
    browser.wait_live(timeout=40)
    student = campus.token("student")
    r = campus.post("gateway", "/api/tickets", token=student, json={"title": "Broken chair after restart", "description": "One chair in the reading room has a broken leg", "location": "Library reading room"})
    assert r.status_code == 201
    browser.find(f'#queue-board [data-ticket-id="{r.json()["id"]}"]', timeout=15)
    assert browser.driver.execute_script("return window.__sameDocument") is True
