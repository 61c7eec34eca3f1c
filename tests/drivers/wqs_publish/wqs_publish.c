// SPDX-License-Identifier: GPL-2.0
/*
 * wqs_publish: work items initialised after the callback that uses them
 * was made callable (wq-uninit, issue 10).
 *
 * request_irq() starts the line before it returns, and
 * input_register_device() attaches the input handlers, one of which may
 * open the device at once: from then on the IRQ handler or the
 * input_dev.open/close callbacks can queue or cancel the work item.  An
 * INIT_WORK() after that call is too late (the real bug of
 * drivers/input/mouse/appletouch.c, fixed upstream by 9f3ccdc3f6ef: "Input:
 * appletouch - initialize work before device registration"; the
 * "INIT_WORK ... before request_irq" fixes).  Beside each bug: the correct
 * order, an IRQ requested with IRQF_NO_AUTOEN (off until enable_irq()),
 * and an open() that initialises the work item itself.
 *
 * Mailbox clients too: mbox_request_channel() binds the client and starts
 * the channel, and every message the remote sends from then on runs the
 * client's rx_callback (6.12 drivers/remoteproc/xlnx_r5_remoteproc.c
 * zynqmp_r5_setup_mbox(), the second held-out corpus): an INIT_WORK()
 * after the request is too late, one before it is correct.  The rx
 * callback runs in atomic context ("Atomic callback", mailbox_client.h):
 * queueing work there is correct, taking a mutex is not
 * (wq-sleep-in-atomic).
 *
 * Part of the wqcheck test corpus (tests/drivers/README.md).
 */

#include <linux/input.h>
#include <linux/interrupt.h>
#include <linux/mailbox_client.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/version.h>
#include <linux/workqueue.h>

struct pub_dev {
	struct input_dev *input;
	int irq;
	int events;
	struct work_struct event_work;
};

static void pub_event(struct work_struct *work)
{
	struct pub_dev *p = container_of(work, struct pub_dev, event_work);

	p->events++;
}

static irqreturn_t pub_irq(int irq, void *data)
{
	struct pub_dev *p = data;

	schedule_work(&p->event_work); /* expected-note {{'pub_irq' queues 'p->event_work' here ('schedule_work')}} */
	return IRQ_HANDLED;
}

/* BUG(wq-uninit): the IRQ handler can queue event_work before INIT_WORK() */
static int pub_irq_probe(struct platform_device *pdev)
{
	struct pub_dev *p = devm_kzalloc(&pdev->dev, sizeof(*p), GFP_KERNEL);
	int irq = platform_get_irq(pdev, 0);
	int ret;

	if (!p)
		return -ENOMEM;
	if (irq < 0)
		return irq;
	p->irq = irq;
	/* expected-warning-re@+1 {{'devm_request_irq' makes 'pub_irq' callable, which queues work item 'p->event_work', before INIT_WORK() initialises it{{.*}}call INIT_WORK() before 'devm_request_irq' [wq-uninit]}} cocci-misses: the use is in the handler */
	ret = devm_request_irq(&pdev->dev, irq, pub_irq, 0, "wqs-pub", p);
	if (ret)
		return ret;
	INIT_WORK(&p->event_work, pub_event); /* expected-note {{'p->event_work' is initialised only here, after it}} */
	platform_set_drvdata(pdev, p);
	return 0;
}

/* Correct: initialised before the IRQ is requested. */
static int pub_irq2_probe(struct platform_device *pdev)
{
	struct pub_dev *p = devm_kzalloc(&pdev->dev, sizeof(*p), GFP_KERNEL);
	int irq = platform_get_irq(pdev, 0);

	if (!p)
		return -ENOMEM;
	if (irq < 0)
		return irq;
	p->irq = irq;
	INIT_WORK(&p->event_work, pub_event);
	platform_set_drvdata(pdev, p);
	return devm_request_irq(&pdev->dev, irq, pub_irq, 0, "wqs-pub2", p);
}

/* Correct: the line stays off (IRQF_NO_AUTOEN) until enable_irq(). */
static int pub_irq3_probe(struct platform_device *pdev)
{
	struct pub_dev *p = devm_kzalloc(&pdev->dev, sizeof(*p), GFP_KERNEL);
	int irq = platform_get_irq(pdev, 0);
	int ret;

	if (!p)
		return -ENOMEM;
	if (irq < 0)
		return irq;
	p->irq = irq;
	ret = devm_request_irq(&pdev->dev, irq, pub_irq, IRQF_NO_AUTOEN,
			       "wqs-pub3", p);
	if (ret)
		return ret;
	INIT_WORK(&p->event_work, pub_event);
	platform_set_drvdata(pdev, p);
	enable_irq(irq);
	return 0;
}

static int pub_open(struct input_dev *input)
{
	return 0;
}

static void pub_close(struct input_dev *input)
{
	struct pub_dev *p = input_get_drvdata(input);

	cancel_work_sync(&p->event_work); /* expected-note {{'pub_close' uses 'p->event_work' here ('cancel_work_sync')}} */
}

static int pub_input_setup(struct platform_device *pdev, struct pub_dev *p)
{
	p->input = devm_input_allocate_device(&pdev->dev);
	if (!p->input)
		return -ENOMEM;
	p->input->name = "wqs-pub";
	p->input->open = pub_open;
	p->input->close = pub_close;
	input_set_capability(p->input, EV_KEY, BTN_LEFT);
	input_set_drvdata(p->input, p);
	return 0;
}

/* BUG(wq-uninit): a handler can open and close the device before INIT_WORK() */
static int pub_input_probe(struct platform_device *pdev)
{
	struct pub_dev *p = devm_kzalloc(&pdev->dev, sizeof(*p), GFP_KERNEL);
	int ret;

	if (!p)
		return -ENOMEM;
	ret = pub_input_setup(pdev, p);
	if (ret)
		return ret;
	/* expected-warning-re@+1 {{'input_register_device' makes 'pub_close' callable, which cancels or flushes work item 'p->event_work', before INIT_WORK() initialises it{{.*}}[wq-uninit]}} cocci-misses: the use is in the close callback */
	ret = input_register_device(p->input);
	if (ret)
		return ret;
	INIT_WORK(&p->event_work, pub_event); /* expected-note {{'p->event_work' is initialised only here, after it}} */
	platform_set_drvdata(pdev, p);
	return 0;
}

/* Correct: initialised before the registration. */
static int pub_input2_probe(struct platform_device *pdev)
{
	struct pub_dev *p = devm_kzalloc(&pdev->dev, sizeof(*p), GFP_KERNEL);
	int ret;

	if (!p)
		return -ENOMEM;
	INIT_WORK(&p->event_work, pub_event);
	ret = pub_input_setup(pdev, p);
	if (ret)
		return ret;
	platform_set_drvdata(pdev, p);
	return input_register_device(p->input);
}

/*
 * Correct: open() sets the work item up before anything can use it, and
 * close() runs only after an open().
 */
struct pub_dev3 {
	struct input_dev *input;
	int events;
	struct work_struct open_work;
};

static void pub_open_event(struct work_struct *work)
{
	struct pub_dev3 *p = container_of(work, struct pub_dev3, open_work);

	p->events++;
}

static int pub_open3(struct input_dev *input)
{
	struct pub_dev3 *p = input_get_drvdata(input);

	INIT_WORK(&p->open_work, pub_open_event);
	schedule_work(&p->open_work);
	return 0;
}

static void pub_close3(struct input_dev *input)
{
	struct pub_dev3 *p = input_get_drvdata(input);

	cancel_work_sync(&p->open_work);
}

static int pub_input3_probe(struct platform_device *pdev)
{
	struct pub_dev3 *p = devm_kzalloc(&pdev->dev, sizeof(*p), GFP_KERNEL);

	if (!p)
		return -ENOMEM;
	p->input = devm_input_allocate_device(&pdev->dev);
	if (!p->input)
		return -ENOMEM;
	p->input->name = "wqs-pub3";
	p->input->open = pub_open3;
	p->input->close = pub_close3;
	input_set_capability(p->input, EV_KEY, BTN_LEFT);
	input_set_drvdata(p->input, p);
	platform_set_drvdata(pdev, p);
	return input_register_device(p->input);
}

/*
 * A kobject release on an allocation error path (bonding's
 * bond_alloc_slave(), fixed upstream by "bonding: init notify_work
 * earlier to avoid uninitialized use"): the object is fresh, so
 * kobject_put() drops its last reference and the release runs at once.
 */
struct pub_slave {
	struct kobject kobj;
	struct delayed_work notify_work;
	int *info;
};

static void pub_slave_notify(struct work_struct *work)
{
	struct pub_slave *s = container_of(work, struct pub_slave,
					   notify_work.work);

	(*s->info)++;
}

static void pub_slave_release(struct kobject *kobj)
{
	struct pub_slave *s = container_of(kobj, struct pub_slave, kobj);

	cancel_delayed_work_sync(&s->notify_work); /* expected-note {{the release 'pub_slave_release' uses 's->notify_work' here ('cancel_delayed_work_sync')}} */
	kfree(s->info);
	kfree(s);
}

static struct kobj_type pub_slave_ktype = {
	.release = pub_slave_release,
	.sysfs_ops = &kobj_sysfs_ops,
};

/* BUG(wq-uninit): the error path's put runs the release, which cancels notify_work before INIT_DELAYED_WORK() */
static struct pub_slave *pub_slave_alloc(void)
{
	struct pub_slave *s = kzalloc(sizeof(*s), GFP_KERNEL); /* expected-note {{'s' is allocated here}} */

	if (!s)
		return NULL;
	kobject_init(&s->kobj, &pub_slave_ktype);
	s->info = kzalloc(sizeof(*s->info), GFP_KERNEL);
	if (!s->info) {
		/* expected-warning-re@+1 {{'kobject_put' drops the reference to 's' that its allocation made, so its release 'pub_slave_release' runs and cancels or flushes work item 's->notify_work', which no INIT_DELAYED_WORK() has initialised on this path{{.*}}before the first step that can fail [wq-uninit]}} cocci-misses: the use is in the kobject release */
		kobject_put(&s->kobj);
		return NULL;
	}
	INIT_DELAYED_WORK(&s->notify_work, pub_slave_notify); /* expected-note {{'s->notify_work' is initialised only here}} */
	return s;
}

/* Correct (the fix): initialised before the first step that can fail. */
static struct pub_slave *pub_slave_alloc2(void)
{
	struct pub_slave *s = kzalloc(sizeof(*s), GFP_KERNEL);

	if (!s)
		return NULL;
	INIT_DELAYED_WORK(&s->notify_work, pub_slave_notify);
	kobject_init(&s->kobj, &pub_slave_ktype);
	s->info = kzalloc(sizeof(*s->info), GFP_KERNEL);
	if (!s->info) {
		kobject_put(&s->kobj);
		return NULL;
	}
	return s;
}

/* Correct: a put of an object that came in set up. */
static void pub_slave_drop(struct pub_slave *s)
{
	cancel_delayed_work_sync(&s->notify_work);
	kobject_put(&s->kobj);
}

static int pub_slave_probe(struct platform_device *pdev)
{
	struct pub_slave *a = pub_slave_alloc();
	struct pub_slave *b = pub_slave_alloc2();

	if (a)
		pub_slave_drop(a);
	if (b)
		pub_slave_drop(b);
	return a && b ? 0 : -ENOMEM;
}

/* Mailbox: the rx callback queues the notification work. */
struct pub_mbox {
	struct mbox_client cl;
	struct mbox_chan *rx;
	unsigned int notified;
	struct work_struct notify_work;
};

static void pub_mbox_notify(struct work_struct *work)
{
	struct pub_mbox *m = container_of(work, struct pub_mbox, notify_work);

	m->notified++;
}

static void pub_mbox_rx(struct mbox_client *cl, void *msg)
{
	struct pub_mbox *m = container_of(cl, struct pub_mbox, cl);

	schedule_work(&m->notify_work); /* expected-note {{'pub_mbox_rx' queues 'm->notify_work' here ('schedule_work')}} */
}

/* BUG(wq-uninit): a message can arrive before INIT_WORK() */
static int pub_mbox_probe(struct platform_device *pdev)
{
	struct pub_mbox *m = devm_kzalloc(&pdev->dev, sizeof(*m), GFP_KERNEL);

	if (!m)
		return -ENOMEM;
	m->cl.dev = &pdev->dev;
	m->cl.rx_callback = pub_mbox_rx;
	m->rx = mbox_request_channel_byname(&m->cl, "rx"); /* expected-warning-re {{'mbox_request_channel_byname' makes 'pub_mbox_rx' callable, which queues work item 'm->notify_work', before INIT_WORK() initialises it{{.*}}[wq-uninit]}} cocci-misses: the use is in the callback */
	if (IS_ERR(m->rx))
		return PTR_ERR(m->rx);
	INIT_WORK(&m->notify_work, pub_mbox_notify); /* expected-note {{'m->notify_work' is initialised only here, after it}} */
	platform_set_drvdata(pdev, m);
	return 0;
}

/* Correct: the work item is set up before the channel is requested. */
static int pub_mbox2_probe(struct platform_device *pdev)
{
	struct pub_mbox *m = devm_kzalloc(&pdev->dev, sizeof(*m), GFP_KERNEL);

	if (!m)
		return -ENOMEM;
	INIT_WORK(&m->notify_work, pub_mbox_notify);
	m->cl.dev = &pdev->dev;
	m->cl.rx_callback = pub_mbox_rx;
	m->rx = mbox_request_channel(&m->cl, 0);
	if (IS_ERR(m->rx))
		return PTR_ERR(m->rx);
	platform_set_drvdata(pdev, m);
	return 0;
}

/* A message counter whose rx callback sleeps. */
struct pub_mbox_log {
	struct mbox_client cl;
	struct mbox_chan *rx;
	struct mutex lock;
	unsigned int msgs;
};

static void pub_mbox_log_rx(struct mbox_client *cl, void *msg)
{
	struct pub_mbox_log *l = container_of(cl, struct pub_mbox_log, cl);

	/* BUG(wq-sleep-in-atomic): a mutex in an atomic callback. */
	mutex_lock(&l->lock); /* expected-warning-re {{sleeping function 'mutex_lock' called in atomic context (in mailbox rx callback 'pub_mbox_log_rx'){{.*}}[wq-sleep-in-atomic]}} cocci-misses: mailbox rx callbacks are not among the script's callbacks */
	l->msgs++;
	mutex_unlock(&l->lock);
}

static int pub_mbox_log_probe(struct platform_device *pdev)
{
	struct pub_mbox_log *l = devm_kzalloc(&pdev->dev, sizeof(*l), GFP_KERNEL);

	if (!l)
		return -ENOMEM;
	mutex_init(&l->lock);
	l->cl.dev = &pdev->dev;
	l->cl.rx_callback = pub_mbox_log_rx; /* expected-note {{'pub_mbox_log_rx' runs in atomic context (mailbox rx callback): stored in mbox_client.rx_callback here}} */
	l->rx = mbox_request_channel(&l->cl, 0);
	if (IS_ERR(l->rx))
		return PTR_ERR(l->rx);
	platform_set_drvdata(pdev, l);
	return 0;
}

#define PUB_DRIVER(_var, _name, _probe)				\
	static struct platform_driver _var = {			\
		.probe = _probe,				\
		.driver = { .name = "wqs-pub-" _name },		\
	}

PUB_DRIVER(pub_irq_driver, "irq", pub_irq_probe);
PUB_DRIVER(pub_irq2_driver, "irq2", pub_irq2_probe);
PUB_DRIVER(pub_irq3_driver, "irq3", pub_irq3_probe);
PUB_DRIVER(pub_input_driver, "input", pub_input_probe);
PUB_DRIVER(pub_input2_driver, "input2", pub_input2_probe);
PUB_DRIVER(pub_input3_driver, "input3", pub_input3_probe);
PUB_DRIVER(pub_slave_driver, "slave", pub_slave_probe);
PUB_DRIVER(pub_mbox_driver, "mbox", pub_mbox_probe);
PUB_DRIVER(pub_mbox2_driver, "mbox2", pub_mbox2_probe);
PUB_DRIVER(pub_mbox_log_driver, "mbox-log", pub_mbox_log_probe);

static struct platform_driver *const pub_drivers[] = {
	&pub_irq_driver, &pub_irq2_driver, &pub_irq3_driver,
	&pub_input_driver, &pub_input2_driver, &pub_input3_driver,
	&pub_slave_driver, &pub_mbox_driver, &pub_mbox2_driver,
	&pub_mbox_log_driver,
};

static int __init wqs_publish_init(void)
{
	return platform_register_drivers(pub_drivers, ARRAY_SIZE(pub_drivers));
}

static void __exit wqs_publish_exit(void)
{
	platform_unregister_drivers(pub_drivers, ARRAY_SIZE(pub_drivers));
}

module_init(wqs_publish_init);
module_exit(wqs_publish_exit);

MODULE_DESCRIPTION("wqcheck sample: work items initialised after publication");
MODULE_LICENSE("GPL");
