from lpgp.cli import main

main()
