from helpmap.cli import main

raise SystemExit(main())
