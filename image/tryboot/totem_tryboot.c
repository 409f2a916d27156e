// SPDX-License-Identifier: GPL-2.0-only
/*
 * totem_tryboot: `reboot "0 tryboot"` reaches the Raspberry Pi firmware on Debian's kernel.
 *
 * The Pi firmware starts the [tryboot] section of autoboot.txt once when the kernel sets its
 * reboot flag (firmware property SET_REBOOT_FLAGS, tag 0x00038064) before restarting. The
 * Raspberry Pi kernel does this in its own firmware driver; Debian's mainline kernel does
 * not, so a totem running it would restart into the old slot after every update. This
 * module adds only that: a reboot notifier which, when the restart command holds the word
 * "tryboot", sets the flag through the exported rpi_firmware_property().
 *
 * The firmware is looked up at restart time, not at load: its driver may probe after this
 * module loads, and a machine without it (QEMU's virt board in the system tests) loads the
 * module all the same and restarts normally. Built for the image's kernel by
 * image/stages/40-configure/07-tryboot-module/build.sh.
 */
#include <linux/module.h>
#include <linux/notifier.h>
#include <linux/of.h>
#include <linux/reboot.h>
#include <linux/string.h>
#include <soc/bcm2835/raspberrypi-firmware.h>

#define TOTEM_SET_REBOOT_FLAGS 0x00038064 /* not in mainline's firmware tag list */
#define TOTEM_REBOOT_FLAG_TRYBOOT 0x1

/* The restart command names tryboot: "tryboot", or "0 tryboot" (partition, then flags). */
static bool asks_tryboot(const char *command)
{
	const char *found = command;

	while ((found = strstr(found, "tryboot")) != NULL) {
		bool starts = found == command || found[-1] == ' ';
		bool ends = found[7] == '\0' || found[7] == ' ';

		if (starts && ends)
			return true;
		found += 7;
	}
	return false;
}

static int totem_tryboot_notify(struct notifier_block *block, unsigned long action, void *data)
{
	struct device_node *node;
	struct rpi_firmware *firmware;
	u32 flags = TOTEM_REBOOT_FLAG_TRYBOOT;
	int ret;

	if (action != SYS_RESTART || !data || !asks_tryboot(data))
		return NOTIFY_DONE;
	node = of_find_compatible_node(NULL, NULL, "raspberrypi,bcm2835-firmware");
	/*
	 * Each way the flag is not set means, on a Pi, that the trial will not start: printed
	 * at critical level, which the image's console (loglevel=3) still shows in the last
	 * lines before the restart. The QEMU test reads the first to know the notifier ran.
	 */
	if (!node) {
		pr_crit("totem_tryboot: no Raspberry Pi firmware: the boot loader chooses the slot\n");
		return NOTIFY_DONE;
	}
	firmware = rpi_firmware_get(node);
	of_node_put(node);
	if (!firmware) {
		pr_crit("totem_tryboot: Raspberry Pi firmware not ready: the normal slot starts\n");
		return NOTIFY_DONE;
	}
	ret = rpi_firmware_property(firmware, TOTEM_SET_REBOOT_FLAGS, &flags, sizeof(flags));
	rpi_firmware_put(firmware);
	if (ret)
		pr_crit("totem_tryboot: the firmware refused the tryboot flag (%d)\n", ret);
	else
		pr_notice("totem_tryboot: the firmware starts the [tryboot] partition once\n");
	return NOTIFY_DONE;
}

static struct notifier_block totem_tryboot_block = {
	.notifier_call = totem_tryboot_notify,
};

static int __init totem_tryboot_init(void)
{
	return register_reboot_notifier(&totem_tryboot_block);
}

static void __exit totem_tryboot_exit(void)
{
	unregister_reboot_notifier(&totem_tryboot_block);
}

module_init(totem_tryboot_init);
module_exit(totem_tryboot_exit);
MODULE_DESCRIPTION("Pass reboot \"0 tryboot\" to the Raspberry Pi firmware");
MODULE_AUTHOR("Totem");
MODULE_LICENSE("GPL");
