#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "party_portal.settings")
    from django.core.management import execute_from_command_line

    from party_portal.doors import COMMAND, set_process_door

    # runserver serves requests, whose middleware marks them as web/admin/api.
    set_process_door(COMMAND)
    execute_from_command_line(sys.argv)
